package io.tessera.featurestore.time;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Objects;

/**
 * How the spec's timestamp field is turned into event time (UTC epoch milliseconds). Every engine parses
 * through this one class so they agree to the millisecond.
 */
public sealed interface TimestampFormat
        permits TimestampFormat.EpochSeconds, TimestampFormat.EpochMillis, TimestampFormat.Iso8601,
                TimestampFormat.Pattern {

    /**
     * Never overflows: a value beyond what epoch milliseconds hold (microseconds or nanoseconds in an
     * {@code epoch_seconds} field, a year in the billions) is a {@link DateTimeException} like any text
     * that is not a timestamp. Whether the instant is plausible is the decoder's check.
     *
     * @throws DateTimeException if the text is not a timestamp in this format (the caller quarantines the
     *     event with reason {@code bad_timestamp})
     */
    long toEpochMillis(String text);

    /** The spelling in the spec. */
    String specName();

    /** Seconds since the epoch, whole or with a fraction; the fraction is floored to milliseconds. */
    record EpochSeconds() implements TimestampFormat {

        /** Integer digits of the largest number of seconds whose milliseconds fit a long. */
        private static final int MAX_SECONDS_DIGITS = 16;

        @Override
        public long toEpochMillis(String text) {
            BigDecimal seconds;
            try {
                seconds = new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                throw new DateTimeException("not epoch seconds: '" + text + "'");
            }
            // Checked before scaling: '1e999999999' would otherwise expand into a billion digits.
            if (seconds.precision() - seconds.scale() > MAX_SECONDS_DIGITS) {
                throw new DateTimeException("'" + text + "' is beyond epoch milliseconds");
            }
            try {
                return seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact();
            } catch (ArithmeticException e) {
                throw new DateTimeException("'" + text + "' is beyond epoch milliseconds");
            }
        }

        @Override
        public String specName() {
            return "epoch_seconds";
        }
    }

    /** Whole milliseconds since the epoch. */
    record EpochMillis() implements TimestampFormat {
        @Override
        public long toEpochMillis(String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new DateTimeException("not epoch milliseconds: '" + text + "'");
            }
        }

        @Override
        public String specName() {
            return "epoch_millis";
        }
    }

    /** ISO-8601 date-time; without an offset it is read as UTC ({@code 2020-06-21T12:14:25Z}). */
    record Iso8601() implements TimestampFormat {
        @Override
        public long toEpochMillis(String text) {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(text.trim());
            return epochMillis(parsed);
        }

        @Override
        public String specName() {
            return "iso8601";
        }
    }

    /**
     * A {@link DateTimeFormatter} pattern such as {@code yyyy-MM-dd HH:mm:ss}; read as UTC unless the
     * pattern carries an offset or zone. A class rather than a record so the formatter is built once.
     */
    final class Pattern implements TimestampFormat {

        private final String pattern;
        private final DateTimeFormatter formatter;

        private Pattern(String pattern, DateTimeFormatter formatter) {
            this.pattern = pattern;
            this.formatter = formatter;
        }

        /**
         * Checks that the pattern is valid and that what it parses determines an instant.
         *
         * @throws IllegalArgumentException with a message for the spec author
         */
        public static Pattern of(String pattern) {
            Objects.requireNonNull(pattern, "pattern");
            DateTimeFormatter formatter;
            try {
                formatter = DateTimeFormatter.ofPattern(pattern);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid date-time pattern '" + pattern + "': " + e.getMessage());
            }
            Pattern format = new Pattern(pattern, formatter);
            try {
                String sample = formatter.withZone(ZoneOffset.UTC).format(Instant.ofEpochSecond(1_371_816_865L));
                format.toEpochMillis(sample);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(
                        "date-time pattern '" + pattern + "' does not determine an instant (it needs a date and a time)");
            }
            return format;
        }

        public String pattern() {
            return pattern;
        }

        @Override
        public long toEpochMillis(String text) {
            try {
                return epochMillis(formatter.parse(text.trim()));
            } catch (DateTimeParseException e) {
                throw new DateTimeException("'" + text + "' does not match pattern '" + pattern + "'");
            }
        }

        @Override
        public String specName() {
            return pattern;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pattern other && other.pattern.equals(pattern);
        }

        @Override
        public int hashCode() {
            return pattern.hashCode();
        }

        @Override
        public String toString() {
            return "Pattern[" + pattern + "]";
        }
    }

    /** Epoch milliseconds of what was parsed; a date too far out for them is not a timestamp either. */
    private static long epochMillis(TemporalAccessor parsed) {
        Instant instant = parsed.isSupported(ChronoField.INSTANT_SECONDS) ? Instant.from(parsed)
                : LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new DateTimeException("'" + instant + "' is beyond epoch milliseconds");
        }
    }
}
