package io.tessera.batch.train;

import java.util.Arrays;

/**
 * The scores of a holdout's positive and negative rows, each sorted ascending: what both the AUC and the
 * ROC curve are computed from.
 */
public record ClassScores(double[] positives, double[] negatives) {

    /** Splits by label (1.0 is positive, anything else negative) and sorts each side. */
    public static ClassScores of(double[] labels, double[] scores) {
        int positiveCount = 0;
        for (double label : labels) {
            if (label == 1.0) {
                positiveCount++;
            }
        }
        double[] positives = new double[positiveCount];
        double[] negatives = new double[labels.length - positiveCount];
        int p = 0;
        int q = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 1.0) {
                positives[p++] = scores[i];
            } else {
                negatives[q++] = scores[i];
            }
        }
        Arrays.sort(positives);
        Arrays.sort(negatives);
        return new ClassScores(positives, negatives);
    }

    /** Both classes are present: AUC and the ROC curve exist. */
    public boolean bothClasses() {
        return positives.length > 0 && negatives.length > 0;
    }
}
