package io.tessera.batch.train;

import io.tessera.featurestore.model.Scorer;
import java.util.List;

/**
 * The holdout rows as the driver holds them after training: each row's feature vector, label and what
 * Spark's model said for it (the probability of the positive class, or the regression prediction). The
 * evaluation, the export check and the report all read these same numbers.
 *
 * <p>Bounded: when the holdout has more rows than the trainer's limit, these are a seeded sample of it
 * ({@link #sampled()}), and {@link #totalRows()} says how many there were. Arrays are shared, not copied:
 * treat them as read-only.
 *
 * @param featureNames the columns of each vector, in order
 * @param features one vector per row
 * @param labels one label per row (0/1 for classification)
 * @param sparkScores Spark's output per row
 * @param totalRows rows in the whole holdout
 */
public record ScoredHoldout(List<String> featureNames, double[][] features, double[] labels, double[] sparkScores,
                            long totalRows) {

    public ScoredHoldout {
        featureNames = List.copyOf(featureNames);
        if (features.length != labels.length || labels.length != sparkScores.length) {
            throw new IllegalArgumentException("features, labels and scores differ in length: " + features.length
                    + ", " + labels.length + ", " + sparkScores.length);
        }
        if (totalRows < labels.length) {
            throw new IllegalArgumentException("total rows " + totalRows + " < rows held " + labels.length);
        }
    }

    public int size() {
        return labels.length;
    }

    /** Whether these rows are a sample of a larger holdout. */
    public boolean sampled() {
        return totalRows > labels.length;
    }

    /** Scores every row with a plain-Java scorer (another model, or the export of this one). */
    public double[] scoreWith(Scorer scorer) {
        double[] scores = new double[features.length];
        for (int i = 0; i < features.length; i++) {
            scores[i] = scorer.score(features[i]);
        }
        return scores;
    }
}
