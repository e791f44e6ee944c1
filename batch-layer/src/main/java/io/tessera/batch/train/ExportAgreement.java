package io.tessera.batch.train;

/**
 * The portable export scored every checked holdout row like Spark.
 *
 * @param rows holdout rows compared
 * @param maxDifference the largest |Spark − export| seen
 * @param tolerance the allowed difference for a score of magnitude up to 1 (probabilities)
 */
public record ExportAgreement(int rows, double maxDifference, double tolerance) {
}
