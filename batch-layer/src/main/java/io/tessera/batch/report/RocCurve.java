package io.tessera.batch.report;

import java.util.Arrays;
import java.util.Optional;

import io.tessera.batch.train.ClassScores;

/**
 * The ROC curve of probabilities against 0/1 labels: one point per distinct score, from (0, 0) at a
 * threshold above every score to (1, 1) below all of them; tied scores move both rates at once, which
 * draws the diagonal segment whose area counts ties as half, like the evaluator's AUC.
 *
 * @param falsePositiveRates x of each point, non-decreasing
 * @param truePositiveRates y of each point, non-decreasing
 */
record RocCurve(double[] falsePositiveRates, double[] truePositiveRates) {

    /** At most this many points are drawn; a curve with more is thinned evenly (it is monotone). */
    static final int MAX_POINTS = 500;

    /** The curve, or empty if the labels hold only one class (then it does not exist). */
    static Optional<RocCurve> of(double[] labels, double[] scores) {
        ClassScores classes = ClassScores.of(labels, scores);
        if (!classes.bothClasses()) {
            return Optional.empty();
        }
        double[] pos = classes.positives();
        double[] neg = classes.negatives();
        // walk thresholds from the highest score down: ascending arrays read from the end
        double[] fpr = new double[labels.length + 1];
        double[] tpr = new double[labels.length + 1];
        int points = 1;
        int i = pos.length - 1;
        int j = neg.length - 1;
        while (i >= 0 || j >= 0) {
            double threshold = Math.max(i >= 0 ? pos[i] : Double.NEGATIVE_INFINITY, j >= 0 ? neg[j] : Double.NEGATIVE_INFINITY);
            while (i >= 0 && pos[i] == threshold) {
                i--;
            }
            while (j >= 0 && neg[j] == threshold) {
                j--;
            }
            tpr[points] = (double) (pos.length - 1 - i) / pos.length;
            fpr[points] = (double) (neg.length - 1 - j) / neg.length;
            points++;
        }
        return Optional.of(thin(Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points)));
    }

    private static RocCurve thin(double[] fpr, double[] tpr) {
        if (fpr.length <= MAX_POINTS) {
            return new RocCurve(fpr, tpr);
        }
        double[] x = new double[MAX_POINTS];
        double[] y = new double[MAX_POINTS];
        for (int k = 0; k < MAX_POINTS; k++) {
            int source = (int) Math.round((double) k * (fpr.length - 1) / (MAX_POINTS - 1)); // keeps both ends
            x[k] = fpr[source];
            y[k] = tpr[source];
        }
        return new RocCurve(x, y);
    }

    /** The area under the drawn points by the trapezoid rule. */
    double area() {
        double area = 0;
        for (int k = 1; k < falsePositiveRates.length; k++) {
            area += (falsePositiveRates[k] - falsePositiveRates[k - 1]) * (truePositiveRates[k] + truePositiveRates[k - 1]) / 2;
        }
        return area;
    }

    String svg(String description) {
        PlotFrame frame = new PlotFrame(440, 428, 0, 1, 0, 1, "false positive rate", "true positive rate", description);
        StringBuilder svg = new StringBuilder(frame.open());
        svg.append("<line x1=\"").append(Html.coordinate(frame.x(0))).append("\" y1=\"").append(Html.coordinate(frame.y(0)))
                .append("\" x2=\"").append(Html.coordinate(frame.x(1))).append("\" y2=\"").append(Html.coordinate(frame.y(1)))
                .append("\" stroke=\"#aaa\" stroke-dasharray=\"5 4\"/>");
        svg.append("<polyline class=\"roc\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\" points=\"");
        for (int k = 0; k < falsePositiveRates.length; k++) {
            svg.append(Html.coordinate(frame.x(falsePositiveRates[k]))).append(',')
                    .append(Html.coordinate(frame.y(truePositiveRates[k]))).append(' ');
        }
        svg.append("\"/>");
        return svg.append(frame.close()).toString();
    }
}
