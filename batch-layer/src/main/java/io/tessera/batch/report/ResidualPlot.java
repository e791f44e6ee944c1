package io.tessera.batch.report;

/**
 * Residuals (label − prediction) against the prediction, one dot per holdout row: a band around zero
 * is a model that is right on average everywhere; a slope or a funnel is not.
 */
final class ResidualPlot {

    /** At most this many dots; a larger holdout is drawn with every k-th row. */
    static final int MAX_POINTS = 1_500;

    private ResidualPlot() {
    }

    static String svg(double[] labels, double[] predictions, String description) {
        int stride = Math.max(1, (labels.length + MAX_POINTS - 1) / MAX_POINTS);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = 0;
        double yMax = 0;
        for (int i = 0; i < labels.length; i += stride) {
            double residual = labels[i] - predictions[i];
            xMin = Math.min(xMin, predictions[i]);
            xMax = Math.max(xMax, predictions[i]);
            yMin = Math.min(yMin, residual);
            yMax = Math.max(yMax, residual);
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
        }
        PlotFrame frame = new PlotFrame(600, 380, xMin, xMax, yMin, yMax, "prediction", "residual (label − prediction)", description);
        StringBuilder svg = new StringBuilder(frame.open());
        svg.append("<line x1=\"").append(Html.coordinate(frame.x(frame.xMin()))).append("\" y1=\"")
                .append(Html.coordinate(frame.y(0))).append("\" x2=\"").append(Html.coordinate(frame.x(frame.xMax())))
                .append("\" y2=\"").append(Html.coordinate(frame.y(0))).append("\" stroke=\"#888\"/>");
        svg.append("<g class=\"residuals\" fill=\"#1f5fa8\" fill-opacity=\"0.45\">");
        for (int i = 0; i < labels.length; i += stride) {
            svg.append("<circle cx=\"").append(Html.coordinate(frame.x(predictions[i]))).append("\" cy=\"")
                    .append(Html.coordinate(frame.y(labels[i] - predictions[i]))).append("\" r=\"2.5\"/>");
        }
        svg.append("</g>");
        return svg.append(frame.close()).toString();
    }
}
