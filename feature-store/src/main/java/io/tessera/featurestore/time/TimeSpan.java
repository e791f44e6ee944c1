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

    /**
     * Recently made spans longer than a millisecond, by a hash of their bounds: every key's sealed slices
     * are whole tiles and its lifetime prefix ends at a tile boundary, so a few hundred spans stood for
     * millions of slices in the speed layer's state, 32 bytes each and traced by every collection
     * (docs/stack.md, "Flink"). A race on a slot is benign (the fields are final) and a miss makes a span.
     */
    private static final TimeSpan[] SHARED = new TimeSpan[4096];

    /** The span {@code [start, end)}, shared with earlier callers when it is a recent one longer than an instant. */
    public static TimeSpan shared(long start, long end) {
        if (end - start == 1) {
            return new TimeSpan(start, end);   // an event's own millisecond: rarely another's
        }
        int slot = (int) ((start * 0x9E3779B97F4A7C15L + end) >>> 52);
        TimeSpan cached = SHARED[slot];
        if (cached != null && cached.start == start && cached.end == end) {
            return cached;
        }
        TimeSpan made = new TimeSpan(start, end);
        SHARED[slot] = made;
        return made;
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
