package io.tessera.bench;

import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.merge.BatchPartials;
import io.tessera.featurestore.merge.EntityTimeline;
import io.tessera.featurestore.merge.RealtimePartials;
import io.tessera.featurestore.merge.ViewMerge;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The read-time merge of the serving layer for one busy card of the card_fraud example: its batch view
 * (the {@link BatchPartials} of snapshot S, as stored) plus its realtime rows S does not cover, merged
 * into its feature vector ({@link ViewMerge}). Compared in the same run with the old read, the vector
 * assembled from one {@link EntityTiles} holding all of the key's events (what {@link FeatureReadBenchmark}
 * measures). Target (the merge issue): at most 20 µs p50 per key with decoding, so that the query API's
 * cost stays dominated by the Cassandra read (0.4-1.5 ms).
 *
 * <p>Scenario: 8 days of history at {@value #PER_DAY} transactions a day (amounts random, merchants drawn
 * from {@value #MERCHANTS}, categories from the 14 of the sample), the batch view built by the batch
 * layer's own {@link EntityTimeline} from every event older than an hour before the newest one, and the
 * events of that last hour in {@value #ROWS} realtime rows (epochs) of one generation, none of them
 * covered by the cut. Read at {@code next_event} (just after the newest event, scoring the next one: the
 * speed layer's read, the event's fields fill the event columns) or at {@code plus_2h} (an API read of the
 * key two hours later, no event).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ViewMergeBenchmark {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final int PER_DAY = 1000;
    private static final int DAYS = 8;
    private static final int MERCHANTS = 300;
    private static final int ROWS = 6;
    private static final long GENERATION = 1;
    /** The cut of S: generation 1, checkpoint 10; the realtime rows are epochs 11 to 16. */
    private static final ServingCut CUT = new ServingCut(GENERATION, 10);
    /** The categories of examples/card_fraud/transactions.csv, the vocabulary of the one_hot feature. */
    static final List<String> CATEGORIES = List.of("entertainment", "food_dining", "gas_transport", "grocery_net",
            "grocery_pos", "health_fitness", "home", "kids_pets", "misc_net", "misc_pos", "personal_care", "shopping_net",
            "shopping_pos", "travel");

    /** When the key is read. */
    @Param({"next_event", "plus_2h"})
    public String readAt;

    private FeaturePlan plan;
    private FeatureLayout layout;
    private ViewMerge merge;

    /** As stored: the batch view's bytes and each realtime row's. */
    private byte[] batchBytes;
    private byte[][] rowBytes;
    private long[] rowEpochs;

    /** Already decoded. */
    private BatchPartials batch;
    private EntityTiles realtime;

    /** The floor: one set of tiles with every event of the key, sealed and maintained as the replay does. */
    private EntityTiles all;

    private long readTime;
    private Event current;

    @Setup
    public void setUp() {
        PipelineSpec spec = PipelineSpecs.load(specFile());
        plan = FeaturePlan.of(spec);
        layout = FeatureLayout.of(spec, Map.of("category", CATEGORIES));
        merge = new ViewMerge(plan, layout);

        Random random = new Random(7);
        long start = 1_600_000_000_000L;
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < PER_DAY * DAYS; i++) {
            // whole seconds (the source is epoch_seconds), about every 86 s, in order
            long time = (start + i * (DAY / PER_DAY) + random.nextInt(60_000)) / 1000 * 1000;
            events.add(event(time, random));
        }
        long newest = events.get(events.size() - 1).time();
        long snapshot = newest - HOUR;
        List<Event> inS = events.stream().filter(e -> e.time() < snapshot).toList();
        List<Event> recent = events.stream().filter(e -> e.time() >= snapshot).toList();

        batchBytes = new EntityTimeline(plan, layout).view(inS, snapshot).partials();
        batch = BatchPartials.decode(plan, batchBytes);

        List<EntityTiles> rowTiles = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            rowTiles.add(plan.newEntity());
        }
        for (Event e : recent) {
            int r = (int) Math.min(ROWS - 1, (e.time() - snapshot) * ROWS / HOUR);
            plan.add(rowTiles.get(r), e, Long.MIN_VALUE);
        }
        rowBytes = new byte[ROWS][];
        rowEpochs = new long[ROWS];
        for (int r = 0; r < ROWS; r++) {
            rowBytes[r] = EntityTilesCodec.encode(plan, rowTiles.get(r));
            rowEpochs[r] = CUT.checkpoint() + 1 + r;
        }
        realtime = merge.uncovered(decodeRows(), CUT);

        all = plan.newEntity();
        for (Event e : events) {
            plan.add(all, e);
            plan.maintain(all, all.watermark());
        }

        switch (readAt) {
            case "next_event" -> {
                readTime = newest + 1000;
                current = event(readTime, random);
            }
            case "plus_2h" -> {
                readTime = newest + 2 * HOUR;
                current = null;
            }
            default -> throw new IllegalArgumentException("readAt: next_event or plus_2h, got " + readAt);
        }

        // the merge must give the floor's vector, or the comparison means nothing
        double[] merged = mergeWithDecoding();
        double[] floor = floor();
        if (!Arrays.equals(merged, floor)) {
            throw new IllegalStateException("merged vector differs from the floor's:\n" + layout.names() + "\n"
                    + Arrays.toString(merged) + "\n" + Arrays.toString(floor));
        }
        int rowTotal = Arrays.stream(rowBytes).mapToInt(b -> b.length).sum();
        System.out.printf("%n%d events, %d in S (batch view %,d bytes, horizon %+d ms from its newest event), %d in %d realtime rows"
                + " (%,d bytes); read at newest %+d ms; %d columns%n", events.size(), inS.size(), batchBytes.length,
                batch.horizon() - batch.watermark(), recent.size(), ROWS, rowTotal, readTime - newest, layout.size());
    }

    /**
     * Benchmark 1: what the query API pays per key after the Cassandra read, done as its reader does it:
     * the batch row decoded, the uncovered realtime rows decoded into one set of tiles, the vector.
     */
    @Benchmark
    public double[] mergeWithDecoding() {
        BatchPartials decoded = BatchPartials.decode(plan, batchBytes);
        EntityTiles uncovered = plan.newEntity();
        for (int r = 0; r < ROWS; r++) {
            if (!CUT.covers(GENERATION, rowEpochs[r])) {
                EntityTilesCodec.decodeInto(plan, rowBytes[r], uncovered);
            }
        }
        return merge.vector(decoded, uncovered, readTime, current);
    }

    /** Benchmark 2: both halves already decoded; only the merge of the windows and the vector. */
    @Benchmark
    public double[] mergeDecoded() {
        return merge.vector(batch, realtime, readTime, current);
    }

    /** Benchmark 3: decoding alone, the batch view's header and tables and every realtime row. */
    @Benchmark
    public void decodeOnly(Blackhole blackhole) {
        blackhole.consume(BatchPartials.decode(plan, batchBytes));
        for (byte[] row : rowBytes) {
            blackhole.consume(EntityTilesCodec.decode(plan, row));
        }
    }

    /** Benchmark 4, the floor: the old read, from one set of tiles holding all of the key's events. */
    @Benchmark
    public double[] floor() {
        return layout.assemble(all, readTime, current);
    }

    private List<RealtimePartials> decodeRows() {
        List<RealtimePartials> rows = new ArrayList<>(ROWS);
        for (int r = 0; r < ROWS; r++) {
            rows.add(new RealtimePartials(GENERATION, rowEpochs[r], EntityTilesCodec.decode(plan, rowBytes[r])));
        }
        return rows;
    }

    private static Event event(long time, Random random) {
        double amount = Math.round(Math.exp(3.5 + random.nextGaussian()) * 100) / 100.0;
        return new Event(time, Map.of("cc_num", "4000123412341234", "amt", amount,
                "category", CATEGORIES.get(random.nextInt(CATEGORIES.size())), "merchant", "merchant_" + random.nextInt(MERCHANTS),
                "city_pop", 50_000L, "is_fraud", 0L));
    }

    private static Path specFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/card_fraud/pipeline.yaml");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("run from the repository: examples/card_fraud/pipeline.yaml not found");
    }
}
