package io.tessera.batch.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Feature importances as horizontal bars, largest first. */
final class ImportanceBars {

    /** More bars than this do not help a reader; the rest are counted below the chart. */
    static final int MAX_BARS = 25;
    private static final int WIDTH = 760;
    private static final int LABEL_WIDTH = 220;
    private static final int VALUE_WIDTH = 70;
    private static final int BAR_HEIGHT = 22;

    private ImportanceBars() {
    }

    static String svg(Map<String, Double> importances, String description) {
        List<Map.Entry<String, Double>> bars = importances.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_BARS)
                .toList();
        double largest = bars.stream().mapToDouble(Map.Entry::getValue).max().orElse(0);
        int height = bars.size() * BAR_HEIGHT + 8;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" role=\"img\" aria-label=\"")
                .append(Html.escape(description)).append("\"><title>").append(Html.escape(description)).append("</title>");
        int span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        for (int k = 0; k < bars.size(); k++) {
            Map.Entry<String, Double> bar = bars.get(k);
            int top = 4 + k * BAR_HEIGHT;
            double length = largest > 0 ? bar.getValue() / largest * span : 0;
            String name = bar.getKey();
            String shown = name.length() > 32 ? name.substring(0, 31) + "…" : name;
            svg.append("<text x=\"").append(LABEL_WIDTH - 8).append("\" y=\"").append(top + 15)
                    .append("\" text-anchor=\"end\" class=\"label\"><title>").append(Html.escape(name)).append("</title>")
                    .append(Html.escape(shown)).append("</text>");
            svg.append("<rect class=\"bar\" x=\"").append(LABEL_WIDTH).append("\" y=\"").append(top + 3)
                    .append("\" width=\"").append(Html.coordinate(length)).append("\" height=\"").append(BAR_HEIGHT - 6)
                    .append("\" fill=\"#1f5fa8\"/>");
            svg.append("<text x=\"").append(Html.coordinate(LABEL_WIDTH + length + 6)).append("\" y=\"").append(top + 15)
                    .append("\" class=\"value\">").append(Html.escape(Html.number(bar.getValue()))).append("</text>");
        }
        return svg.append("</svg>").toString();
    }
}
