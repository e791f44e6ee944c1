package io.tessera.bench;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The read path of the card_fraud example: assembling one key's feature vector from its tiles (what the
 * serving layer does per query and the speed layer per event), for a card with a week of history and
 * a sealed past. Informational: it has no target yet.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FeatureReadBenchmark {

    private static final long HOUR = 3_600_000L;

    /** Transactions per day on the card. */
    @Param({"5", "50"})
    public int perDay;

    private FeatureLayout layout;
    private EntityTiles card;
    private Event current;
    private double[] vector;

    @Setup
    public void setUp() throws Exception {
        PipelineSpec spec = PipelineSpecs.parse(Files.readString(CardFraudExample.spec()), "card_fraud");
        FeaturePlan plan = FeaturePlan.of(spec);
        layout = FeatureLayout.of(spec, Map.of("category", List.of("grocery_pos", "gas_transport", "shopping_net",
                "misc_pos", "food_dining", "travel", "entertainment", "home", "kids_pets", "personal_care")));
        card = plan.newEntity();
        Random random = new Random(5);
        long start = 1_600_000_000_000L;
        String[] categories = {"grocery_pos", "gas_transport", "travel", "home"};
        for (int i = 0; i < perDay * 8; i++) {
            long time = start + i * (24 * HOUR / perDay) + random.nextInt(1000);
            plan.add(card, new Event(time, Map.of("cc_num", "1", "amt", Math.round(random.nextDouble() * 20_000) / 100.0,
                    "category", categories[random.nextInt(categories.length)], "merchant", "m" + random.nextInt(40),
                    "city_pop", 1000L, "is_fraud", 0L)));
            plan.maintain(card, card.watermark());
        }
        current = new Event(card.watermark() + 1, Map.of("cc_num", "1", "amt", 12.5, "category", "travel",
                "merchant", "m1", "city_pop", 1000L, "is_fraud", 0L));
        vector = new double[layout.size()];
    }

    @Benchmark
    public double[] assemble() {
        layout.assembleInto(vector, card, current.time(), current);
        return vector;
    }
}
