package io.tessera.batch.check;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the consistency check found: per feature, how many keys were compared, how many differed and by
 * how much at most. The algebra is exact (sums exactly rounded, sketches whose merge is the sketch of the
 * union), so the tolerance is zero for every feature, not only for counts.
 */
final class ConsistencyReport {

    /** One feature of one key that the API serves differently from the lake's recomputation. */
    record Mismatch(String key, long readTime, String feature, double served, double recomputed) {
        @Override
        public String toString() {
            return "%s at %s: %s served %s, recomputed %s".formatted(key, Instant.ofEpochMilli(readTime), feature, served, recomputed);
        }
    }

    private static final int SHOWN = 10;

    private final List<String> features;
    private final long[] mismatches;
    private final double[] largest;
    private final List<Mismatch> found = new ArrayList<>();
    private final List<String> unserved = new ArrayList<>();
    private final List<String> notComparable = new ArrayList<>();
    private int compared;
    private int withRealtimeRows;
    private long fileEventsLeftOut;

    ConsistencyReport(List<String> features) {
        this.features = List.copyOf(features);
        this.mismatches = new long[features.size()];
        this.largest = new double[features.size()];
    }

    /** A key both sides answered: {@code served} by name from the API, {@code recomputed} in layout order. */
    void compare(String key, long readTime, Map<String, Double> served, double[] recomputed, boolean realtimeRows) {
        compared++;
        if (realtimeRows) {
            withRealtimeRows++;
        }
        for (int i = 0; i < features.size(); i++) {
            double a = served.getOrDefault(features.get(i), Double.NaN);
            double b = recomputed[i];
            if (!same(a, b)) {
                mismatches[i]++;
                largest[i] = Math.max(largest[i], Double.isNaN(a) || Double.isNaN(b) ? Double.POSITIVE_INFINITY : Math.abs(a - b));
                found.add(new Mismatch(key, readTime, features.get(i), a, b));
            }
        }
    }

    /** A key the lake has events of that the API does not know. */
    void unserved(String key) {
        unserved.add(key);
    }

    /** A key the API cannot answer at the read time asked (e.g. before its view's horizon): not compared. */
    void notComparable(String key, String why) {
        notComparable.add(key + " (" + why + ")");
    }

    /** Events of the compared keys that a file ingest appended after the view's snapshot: not served before the next view. */
    void leftOut(long fileEvents) {
        fileEventsLeftOut = fileEvents;
    }

    boolean consistent() {
        return found.isEmpty() && unserved.isEmpty();
    }

    List<Mismatch> mismatches() {
        return List.copyOf(found);
    }

    List<String> unservedKeys() {
        return List.copyOf(unserved);
    }

    int compared() {
        return compared;
    }

    String render() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("%-28s %8s %10s %8s  %s%n", "feature", "compared", "mismatches", "rate", "largest difference"));
        for (int i = 0; i < features.size(); i++) {
            text.append(String.format("%-28s %8d %10d %8.4f  %s%n", features.get(i), compared, mismatches[i],
                    compared == 0 ? 0.0 : (double) mismatches[i] / compared, mismatches[i] == 0 ? "0" : Double.toString(largest[i])));
        }
        found.stream().limit(SHOWN).forEach(m -> text.append("mismatch  ").append(m).append('\n'));
        if (found.size() > SHOWN) {
            text.append("mismatch  ... and ").append(found.size() - SHOWN).append(" more\n");
        }
        unserved.forEach(key -> text.append("unserved  ").append(key).append(": the lake has events of it, the API does not know it\n"));
        notComparable.forEach(key -> text.append("skipped   ").append(key).append('\n'));
        if (fileEventsLeftOut > 0) {
            text.append("left out  ").append(fileEventsLeftOut).append(" events of these keys that a file ingest appended after the view's"
                    + " snapshot (served once a retrain publishes a view of them)\n");
        }
        text.append(String.format("%s: %d mismatches in %d keys x %d features (%d keys with realtime rows merged), %d keys unserved;"
                        + " tolerance zero for every feature%n", consistent() ? "consistent" : "INCONSISTENT", found.size(), compared,
                features.size(), withRealtimeRows, unserved.size()));
        return text.toString();
    }

    /** Whether {@code served} (by name) holds exactly {@code recomputed} (in the order of {@code features}). */
    static boolean same(List<String> features, Map<String, Double> served, double[] recomputed) {
        for (int i = 0; i < features.size(); i++) {
            if (!same(served.getOrDefault(features.get(i), Double.NaN), recomputed[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(double a, double b) {
        return a == b || (Double.isNaN(a) && Double.isNaN(b));
    }
}
