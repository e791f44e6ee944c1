package io.tessera.batch.report;

import java.util.Locale;

/** Text and numbers as they go into the report's HTML and SVG: every piece of text escaped, numbers short. */
final class Html {

    private Html() {
    }

    /** Escapes for element content and double- or single-quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Four significant digits, whole numbers as such ({@code 0.8381}, {@code 400}, {@code 1.2e-05}). */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        String formatted = String.format(Locale.ROOT, "%.4g", value);
        int exponent = formatted.indexOf('e');
        String mantissa = exponent < 0 ? formatted : formatted.substring(0, exponent);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return exponent < 0 ? mantissa : mantissa + formatted.substring(exponent);
    }

    /** A coordinate in SVG: two decimals are finer than a pixel. */
    static String coordinate(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
