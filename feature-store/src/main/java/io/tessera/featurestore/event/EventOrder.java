package io.tessera.featurestore.event;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one total order of events, the same in every engine: event time, then a hash of the event's
 * content, then (only if two different events share that hash) their canonical text. Which of a key's
 * same-millisecond events is its newest, whose vector and score the batch view holds, follows from it,
 * so two runs over the same data agree whatever order the engine handed the events over in.
 *
 * <p>The hash is of the decoded content (event time and every field present, name, type and value),
 * not of the raw bytes: the lake keeps typed fields and every engine has them, while raw text differs in
 * what means nothing (whitespace, column order, undeclared columns). Events with equal content compare
 * equal, and nothing downstream can tell them apart. When the spec gets an event id it goes between the
 * time and the hash.
 *
 * <p>Aggregates never depend on this order: an event's vector reads only events strictly before it, and
 * merging tiles is commutative. The {@code last} op breaks its own ties by value (greatest wins), which
 * is order-free too; so the newest event's own field and {@code last} over the same instant may name
 * different events of that instant, both deterministically.
 */
public final class EventOrder {

    /** The order; hashes are computed only for events of the same time. */
    public static final Comparator<Event> COMPARATOR = EventOrder::compare;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private EventOrder() {
    }

    public static int compare(Event a, Event b) {
        int byTime = Long.compare(a.time(), b.time());
        if (byTime != 0) {
            return byTime;
        }
        int byHash = Long.compare(contentHash(a), contentHash(b));
        if (byHash != 0 || a.fields().equals(b.fields())) {
            return byHash;
        }
        return canonical(a).compareTo(canonical(b)); // a 64-bit collision: allocating here is fine
    }

    /** Whether {@code events} are in this order (what {@code EntityTimeline} requires). */
    public static boolean isSorted(List<Event> events) {
        for (int i = 1; i < events.size(); i++) {
            if (compare(events.get(i - 1), events.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A 64-bit hash of the event's content, fixed by this definition (a stored order must not change
     * with the JVM): for each field present, FNV-1a 64 over the UTF-16 units of its name, a type tag and
     * its value (String: its UTF-16 units; Long: the long; Double: {@link Double#doubleToLongBits}; Boolean:
     * 1 or 0), finished by SplitMix64; the entries' hashes summed (so map order does not matter), then the
     * time mixed in. Allocation-free.
     */
    public static long contentHash(Event event) {
        long sum = 0;
        for (Map.Entry<String, Object> field : event.fields().entrySet()) {
            long h = chars(FNV_OFFSET, field.getKey());
            Object value = field.getValue();
            if (value instanceof String s) {
                h = chars(word(h, 's'), s);
            } else if (value instanceof Long l) {
                h = word(word(h, 'l'), l);
            } else if (value instanceof Double d) {
                h = word(word(h, 'd'), Double.doubleToLongBits(d));
            } else if (value instanceof Boolean b) {
                h = word(word(h, 'b'), b ? 1 : 0);
            } else {
                throw new IllegalArgumentException("field '" + field.getKey() + "' holds a " + value.getClass().getName()
                        + ", not an event value");
            }
            sum += mix(h);
        }
        return mix(sum ^ mix(event.time()));
    }

    private static long chars(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * FNV_PRIME;
        }
        return (h ^ 0xffff) * FNV_PRIME; // a terminator: ("ab","c") and ("a","bc") differ
    }

    private static long word(long h, long value) {
        for (int shift = 0; shift < Long.SIZE; shift += 16) {
            h = (h ^ ((value >>> shift) & 0xffff)) * FNV_PRIME;
        }
        return h;
    }

    /** SplitMix64's finalizer: spreads every input bit over the whole hash. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static String canonical(Event event) {
        Map<String, String> sorted = new TreeMap<>();
        event.fields().forEach((name, value) -> sorted.put(name, value.getClass().getSimpleName() + ":" + value));
        return sorted.toString();
    }
}
