package io.tessera.batch.train;

import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.Scorer;

/**
 * Proves a portable export scores like the Spark model it came from, on the holdout rows Spark scored
 * (issue 4, item 6): the retrain fails before publishing if it does not.
 *
 * <p>Tolerance: {@value #TOLERANCE} for probabilities (and any score up to 1 in magnitude), scaled by
 * the magnitude above that, because a regression prediction of 10^6 cannot be represented to 10^-12
 * absolute; in practice the scorers reproduce Spark's arithmetic and agree to the last bit or two.
 * Two NaNs agree; a NaN against a number does not.
 */
public final class ExportCheck {

    public static final double TOLERANCE = 1e-12;

    private ExportCheck() {
    }

    /**
     * @throws ExportMismatchException naming the worst row, if any row differs beyond the tolerance
     * @throws io.tessera.featurestore.model.ModelFormatException if the artifact was trained on other
     *     features than the holdout's
     */
    public static ExportAgreement verify(ModelArtifact artifact, ScoredHoldout holdout) {
        artifact.requireFeatures(holdout.featureNames());
        Scorer scorer = Scorer.of(artifact);
        double[][] features = holdout.features();
        double[] spark = holdout.sparkScores();
        double maxDifference = 0.0;
        int worst = -1;
        double worstDifference = 0.0;
        double worstScore = 0.0;
        int mismatched = 0;
        for (int i = 0; i < spark.length; i++) {
            double expected = spark[i];
            double actual = scorer.score(features[i]);
            if (expected == actual || (Double.isNaN(expected) && Double.isNaN(actual))) {
                continue;
            }
            // NaN (one side NaN, or opposite infinities) counts as the largest difference there is
            double difference = Math.abs(expected - actual);
            if (Double.isNaN(difference)) {
                difference = Double.POSITIVE_INFINITY;
            }
            maxDifference = Math.max(maxDifference, difference);
            // negated so that a NaN allowance (Spark said NaN) also counts as a mismatch
            if (!(difference <= TOLERANCE * Math.max(1.0, Math.abs(expected)))) {
                mismatched++;
                if (difference > worstDifference || worst < 0) {
                    worstDifference = difference;
                    worst = i;
                    worstScore = actual;
                }
            }
        }
        if (mismatched > 0) {
            throw new ExportMismatchException(artifact.name() + " v" + artifact.version(), worst, spark[worst], worstScore,
                    features[worst], mismatched, spark.length);
        }
        return new ExportAgreement(spark.length, maxDifference, TOLERANCE);
    }
}
