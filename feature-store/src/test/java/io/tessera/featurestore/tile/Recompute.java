package io.tessera.featurestore.tile;

import io.tessera.featurestore.aggregate.Events.Ev;
import io.tessera.featurestore.aggregate.Op;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The oracle: each op computed straight from raw events, with none of the algebra's code, following the
 * definitions word for word. A window read at {@code t} covers {@code floor_s(t - W) <= e.time < t}
 * (docs/architecture.md, "Time, windows and the cut between the layers"); lifetime covers every event
 * before {@code t}.
 */
final class Recompute {

    private Recompute() {
    }

    /** The events a window of {@code windowMillis} (or lifetime if null) read at {@code t} covers. */
    static List<Ev> inWindow(List<Ev> events, Long windowMillis, long t, long tileMillis) {
        long start = windowMillis == null ? Long.MIN_VALUE : Math.floorDiv(t - windowMillis, tileMillis) * tileMillis;
        return events.stream().filter(e -> start <= e.time() && e.time() < t).collect(Collectors.toList());
    }

    /** The value of an exact op over these events, as the spec defines it. */
    static double exactValue(Op op, List<Ev> events) {
        return switch (op) {
            case COUNT -> events.size();
            case SUM -> exactSum(events).doubleValue();
            case MEAN -> events.isEmpty() ? Double.NaN : exactSum(events).doubleValue() / events.size();
            case MIN -> events.stream().map(Ev::number).min(Double::compare).orElse(Double.NaN);
            case MAX -> events.stream().map(Ev::number).max(Double::compare).orElse(Double.NaN);
            case LAST -> events.stream()
                    .max(Comparator.comparingLong(Ev::time).thenComparing(Ev::number, Double::compare))
                    .map(Ev::number).orElse(Double.NaN);
            case APPROX_DISTINCT -> throw new IllegalArgumentException("approx_distinct is not exact");
        };
    }

    static long distinctWords(List<Ev> events) {
        return events.stream().map(Ev::word).distinct().count();
    }

    private static BigDecimal exactSum(List<Ev> events) {
        BigDecimal total = BigDecimal.ZERO;
        for (Ev e : events) {
            total = total.add(new BigDecimal(e.number()));
        }
        return total;
    }
}
