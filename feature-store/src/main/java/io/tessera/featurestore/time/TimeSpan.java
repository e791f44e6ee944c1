package io.tessera.featurestore.time;

/**
 * A half-open interval of event time {@code [start, end)} in epoch milliseconds.
 *
 * <p>Both windows and tile slices are time spans, so the one rule every engine must agree on (start
 * inclusive, end exclusive) lives here and nowhere else.
 */
public record TimeSpan(long start, long end) implements Comparable<TimeSpan> {

    public TimeSpan {
        if (end <= start) {
            throw new IllegalArgumentException("empty time span [" + start + ", " + end + ")");
        }
    }

    /** The span holding exactly one millisecond: all events with this timestamp. */
    public static TimeSpan instant(long time) {
        return new TimeSpan(time, time + 1);
    }

    public boolean contains(long time) {
        return start <= time && time < end;
    }

    /** True if every instant of {@code other} is inside this span. */
    public boolean encloses(TimeSpan other) {
        return start <= other.start && other.end <= end;
    }

    public boolean overlaps(TimeSpan other) {
        return start < other.end && other.start < end;
    }

    public long length() {
        return end - start;
    }

    /** Orders by start, then end: the order slices are kept and merged in. */
    @Override
    public int compareTo(TimeSpan other) {
        int byStart = Long.compare(start, other.start);
        return byStart != 0 ? byStart : Long.compare(end, other.end);
    }

    @Override
    public String toString() {
        return "[" + (start == Long.MIN_VALUE ? "-inf" : Long.toString(start)) + ", " + end + ")";
    }
}
