package io.tessera.batch.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The axes of one chart: maps data coordinates into an SVG viewport and draws the frame, the ticks and
 * the axis titles. Charts add their marks between {@link #open()} and {@link #close()}.
 */
final class PlotFrame {

    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 52;

    private final int width;
    private final int height;
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;
    private final String xTitle;
    private final String yTitle;
    private final String description;

    /**
     * A frame of {@code width × height} pixels whose ranges extend to tick boundaries around the data
     * ranges given.
     */
    PlotFrame(int width, int height, double xMin, double xMax, double yMin, double yMax, String xTitle, String yTitle,
              String description) {
        this.width = width;
        this.height = height;
        double[] x = extend(xMin, xMax);
        double[] y = extend(yMin, yMax);
        this.xMin = x[0];
        this.xMax = x[1];
        this.yMin = y[0];
        this.yMax = y[1];
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.description = description;
    }

    double x(double value) {
        return LEFT + (value - xMin) / (xMax - xMin) * (width - LEFT - RIGHT);
    }

    double y(double value) {
        return height - BOTTOM - (value - yMin) / (yMax - yMin) * (height - TOP - BOTTOM);
    }

    double xMin() {
        return xMin;
    }

    double xMax() {
        return xMax;
    }

    String open() {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(description)).append("\">")
                .append("<title>").append(Html.escape(description)).append("</title>");
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
                .append(width - LEFT - RIGHT).append("\" height=\"").append(height - TOP - BOTTOM)
                .append("\" fill=\"#fff\" stroke=\"#999\"/>");
        for (double tick : ticks(xMin, xMax)) {
            String px = Html.coordinate(x(tick));
            svg.append("<line x1=\"").append(px).append("\" y1=\"").append(TOP).append("\" x2=\"").append(px)
                    .append("\" y2=\"").append(height - BOTTOM).append("\" stroke=\"#eee\"/>")
                    .append("<text x=\"").append(px).append("\" y=\"").append(height - BOTTOM + 16)
                    .append("\" text-anchor=\"middle\" class=\"tick\">").append(Html.escape(Html.number(tick))).append("</text>");
        }
        for (double tick : ticks(yMin, yMax)) {
            String py = Html.coordinate(y(tick));
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(py).append("\" x2=\"").append(width - RIGHT)
                    .append("\" y2=\"").append(py).append("\" stroke=\"#eee\"/>")
                    .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(py)
                    .append("\" dy=\"4\" text-anchor=\"end\" class=\"tick\">").append(Html.escape(Html.number(tick))).append("</text>");
        }
        svg.append("<text x=\"").append((LEFT + width - RIGHT) / 2).append("\" y=\"").append(height - 12)
                .append("\" text-anchor=\"middle\" class=\"axis\">").append(Html.escape(xTitle)).append("</text>");
        svg.append("<text transform=\"translate(16 ").append((TOP + height - BOTTOM) / 2)
                .append(") rotate(-90)\" text-anchor=\"middle\" class=\"axis\">").append(Html.escape(yTitle)).append("</text>");
        return svg.toString();
    }

    String close() {
        return "</svg>";
    }

    /** Round tick values covering [min, max], about five of them, steps of 1, 2 or 5 × 10^k. */
    static List<Double> ticks(double min, double max) {
        double step = step(min, max);
        List<Double> ticks = new ArrayList<>();
        for (long k = (long) Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) {
            ticks.add(k * step);
        }
        return ticks;
    }

    private static double step(double min, double max) {
        double raw = (max - min) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / magnitude;
        return (fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10) * magnitude;
    }

    private static double[] extend(double min, double max) {
        if (!(max > min)) { // a single value, or nothing: give it some room
            double pad = Math.max(1e-9, Math.abs(min) * 0.1 + (min == 0 ? 1 : 0));
            min -= pad;
            max += pad;
        }
        double step = step(min, max);
        return new double[] {Math.floor(min / step) * step, Math.ceil(max / step) * step};
    }
}
