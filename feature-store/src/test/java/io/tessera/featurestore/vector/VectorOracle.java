package io.tessera.featurestore.vector;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.expr.Condition;
import io.tessera.featurestore.expr.ExpressionEnvironment;
import io.tessera.featurestore.expr.InvalidExpressionException;
import io.tessera.featurestore.spec.AggregationSpec;
import io.tessera.featurestore.spec.PipelineSpec;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Test oracle: a feature column computed straight from a key's raw events, without tiles, following
 * the definitions of docs/architecture.md, "Time, windows and the cut between the layers": a window of
 * length W read at t covers floor_s(t - W) <= time < t.
 */
public final class VectorOracle {

    private final PipelineSpec spec;
    private final ExpressionEnvironment environment;

    public VectorOracle(PipelineSpec spec) {
        this.spec = spec;
        this.environment = spec.source().expressions();
    }

    /** The expected value of an aggregate column; approx_distinct gives the exact distinct count. */
    public double expected(AggregationSpec aggregation, Long windowMillis, List<Event> events, long t) {
        long tile = spec.features().tile().toMillis();
        long start = windowMillis == null ? Long.MIN_VALUE : Math.floorDiv(t - windowMillis, tile) * tile;
        Optional<Condition> where = aggregation.where().map(this::compile);
        String field = aggregation.of().orElse(null);
        // An aggregation over the label sees an event once its label is known: at its time + known_after.
        long delay = spec.label().isReadBy(aggregation.of(), where) ? spec.label().knownAfter().orElseThrow().toMillis() : 0L;
        // Absent values: an op over a field skips events without it (count counts events); a where that
        // reads an absent field is false.
        List<Event> covered = events.stream()
                .filter(e -> start <= e.time() + delay && e.time() + delay < t)
                .filter(e -> field == null || e.has(field))
                .filter(e -> where.map(w -> w.test(e.fields())).orElse(true))
                .toList();
        return switch (aggregation.op()) {
            case COUNT -> covered.size();
            case SUM -> sum(covered, field).doubleValue();
            case MEAN -> covered.isEmpty() ? aggregation.defaultValue() : sum(covered, field).doubleValue() / covered.size();
            case MIN -> covered.stream().map(e -> e.number(field)).min(Double::compare).orElse(aggregation.defaultValue());
            case MAX -> covered.stream().map(e -> e.number(field)).max(Double::compare).orElse(aggregation.defaultValue());
            case LAST -> covered.stream()
                    .max(Comparator.comparingLong(Event::time).thenComparing(e -> e.number(field), Double::compare))
                    .map(e -> e.number(field)).orElse(aggregation.defaultValue());
            case APPROX_DISTINCT -> covered.stream().map(e -> e.get(field)).distinct().count();
        };
    }

    /** The expected value of an event feature's column: the field, or where the event has none, its default. */
    public double expectedRaw(String field, Event current) {
        if (current.has(field)) {
            return current.number(field);
        }
        Object fallback = spec.source().defaultOf(field).orElse(0.0);
        return fallback instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) fallback).doubleValue();
    }

    /** The expected value of a one_hot column: 1 if the field (or its default where absent) is the category. */
    public double expectedOneHot(String field, String category, Event current) {
        Object value = current.has(field) ? current.get(field) : spec.source().defaultOf(field).orElse(null);
        return value != null && category.equals(value.toString()) ? 1.0 : 0.0;
    }

    /** The expected value of a learned vocabulary's other column: 1 if the field (or its default) is outside it. */
    public double expectedOther(String field, java.util.Set<String> vocabulary, Event current) {
        Object value = current.has(field) ? current.get(field) : spec.source().defaultOf(field).orElse(null);
        return value != null && !vocabulary.contains(value.toString()) ? 1.0 : 0.0;
    }

    private Condition compile(String source) {
        try {
            return environment.condition(source);
        } catch (InvalidExpressionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigDecimal sum(List<Event> events, String field) {
        BigDecimal total = BigDecimal.ZERO;
        for (Event e : events) {
            total = total.add(new BigDecimal(e.number(field)));
        }
        return total;
    }
}
