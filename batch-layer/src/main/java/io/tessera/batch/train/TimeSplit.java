package io.tessera.batch.train;

import java.time.Instant;

/**
 * How a training set was cut by event time: the holdout is every row with {@code event_time >=
 * holdoutFrom}, where {@code holdoutFrom = earliest + (1 - holdoutFraction) * (latest - earliest)}
 * rounded up to Spark's microsecond, i.e. the latest {@code holdoutFraction} of the event-time range
 * (not of the rows: bursts make the two differ).
 *
 * @param earliest the first event time in the training set
 * @param latest the last event time in the training set
 * @param holdoutFrom the first event time that belongs to the holdout (inclusive)
 * @param holdoutFraction the spec's {@code holdout}
 * @param trainingRows rows the model was fitted on
 * @param holdoutRows rows in the holdout (all of them, even when only a sample was evaluated)
 */
public record TimeSplit(Instant earliest, Instant latest, Instant holdoutFrom, double holdoutFraction,
                        long trainingRows, long holdoutRows) {

    /** The split of the range {@code [minMicros, maxMicros]} (epoch microseconds, as Spark stores timestamps). */
    public static long holdoutFromMicros(long minMicros, long maxMicros, double holdoutFraction) {
        // event times are whole microseconds, so t >= x for a real x is the same as t >= ceil(x)
        return minMicros + (long) Math.ceil((1.0 - holdoutFraction) * (maxMicros - minMicros));
    }

    static Instant instantOfMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
