package io.tessera.featurestore.spec;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the spec writes them: a whole number and one unit, {@code 500ms}, {@code 30s},
 * {@code 15m}, {@code 1h}, {@code 7d}, {@code 2w}. The text is kept, because window features are named
 * after it ({@code amt_sum_24h}).
 */
public record DurationLiteral(Duration duration, String text) {

    static final String EXPECTED = "a whole number and a unit: ms, s, m, h, d or w (e.g. 30m, 1h, 7d)";

    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d|w)");

    static Optional<DurationLiteral> parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        Duration duration = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofDays(7 * amount);
        };
        return Optional.of(new DurationLiteral(duration, text));
    }

    /**
     * A duration written as the spec writes them, for command-line options that take one.
     *
     * @throws IllegalArgumentException naming the syntax expected
     */
    public static Duration durationOf(String text) {
        return parse(text).map(DurationLiteral::duration)
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a duration: expected " + EXPECTED));
    }

    /** The shortest exact spelling, for explanations of defaults. */
    static String format(Duration duration) {
        long ms = duration.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] sizes = {604_800_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"w", "d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }
}
