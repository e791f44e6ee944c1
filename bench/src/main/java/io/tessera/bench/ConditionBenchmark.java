package io.tessera.bench;

import io.tessera.featurestore.expr.Condition;
import io.tessera.featurestore.spec.AggregationSpec;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code where} of the card_fraud example ({@code category == 'grocery_pos'}) on decoded events, as every
 * engine evaluates it per event before the event enters its aggregations: {@code plain}, the condition as
 * {@code Condition.test} evaluates it (a comparison compiled from CEL's checked syntax tree), beside
 * {@code interpreted}, CEL's interpreter on the same condition and events (the way before, and the reference
 * both must agree with).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConditionBenchmark {

    private static final int EVENTS = 1024;

    private Condition where;
    private Map<String, Object>[] events;
    private int next;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
        PipelineSpec spec = PipelineSpecs.load(CardFraudExample.spec());
        AggregationSpec groceries = spec.features().aggregations().stream().filter(aggregation -> aggregation.name().equals("grocery_count"))
                .findFirst().orElseThrow();
        where = spec.where(groceries).orElseThrow();
        Random random = new Random(11);
        events = new Map[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            Map<String, Object> fields = new HashMap<>();
            fields.put("cc_num", "4000123412341234");
            fields.put("merchant", "merchant_" + random.nextInt(300));
            fields.put("category", ViewMergeBenchmark.CATEGORIES.get(random.nextInt(ViewMergeBenchmark.CATEGORIES.size())));
            fields.put("amt", Math.round(Math.exp(3.5 + random.nextGaussian()) * 100) / 100.0);
            fields.put("city", "Columbia");
            fields.put("state", "SC");
            fields.put("city_pop", 50_000L);
            fields.put("is_fraud", 0L);
            events[i] = Map.copyOf(fields);   // as Event holds its fields
        }
    }

    @Benchmark
    public boolean plain() {
        return where.test(events[next++ & (EVENTS - 1)]);
    }

    @Benchmark
    public boolean interpreted() {
        return where.interpreted(events[next++ & (EVENTS - 1)]);
    }
}
