package io.tessera.jobs.replay;

import java.time.Duration;
import java.util.Locale;

/**
 * What a replay did. Every line read is accounted for: {@code linesRead = headerLines + blankLines +
 * recordsSent} once a replay completes (a replay that fails throws instead).
 *
 * @param headerLines 1 for a CSV file (its header is not sent), 0 for JSON lines
 * @param recordsSent records Kafka acknowledged
 * @param keylessRecords of those, lines sent with a null key: malformed, or without the entity key
 * @param elapsed from the first send until the last acknowledgement
 */
public record ReplaySummary(
        long linesRead,
        long headerLines,
        long blankLines,
        long recordsSent,
        long keylessRecords,
        Duration elapsed) {

    /** Acknowledged records per second over the run. */
    public double rate() {
        long nanos = elapsed.toNanos();
        return nanos == 0 ? 0 : recordsSent * 1e9 / nanos;
    }

    /** One line for the operator. */
    public String describe(String topic) {
        return String.format(Locale.ROOT, "replayed to %s: %d lines read, %d records sent (acknowledged), %d blank lines skipped, "
                        + "%d lines without a parsable key (sent with a null key); %.1f s, %.0f records/s",
                topic, linesRead, recordsSent, blankLines, keylessRecords, elapsed.toNanos() / 1e9, rate());
    }
}
