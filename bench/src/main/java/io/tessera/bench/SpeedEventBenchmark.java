package io.tessera.bench;

import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.merge.BatchPartials;
import io.tessera.featurestore.merge.EntityTimeline;
import io.tessera.featurestore.merge.RealtimePartials;
import io.tessera.featurestore.merge.ViewMerge;
import io.tessera.featurestore.merge.WindowReads;
import io.tessera.featurestore.model.Scorer;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.tile.Selection;
import io.tessera.featurestore.time.Admission;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.speed.job.SpecText;
import io.tessera.speed.source.DecodedRecord;
import io.tessera.speed.source.EventCodec;
import io.tessera.speed.source.RecordDecoding;
import io.tessera.speed.source.SourceRecord;
import io.tessera.speed.state.KeyPartials;
import io.tessera.speed.state.KeyPartialsSerializer;
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
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The speed layer's per-event path for one busy card of the card_fraud example, without I/O: what
 * {@code RealtimeScoring.processElement} does with an event once its key's batch partials are decoded and
 * cached (issue 9: at most 10 µs p50). One operation is one CSV record of the key:
 * <ol>
 *   <li>its event read back ({@link EventCodec}) with the aggregations it enters: the job's source task decoded
 *       the record ({@link RecordDecoding}, the record named by its Kafka CSV header as {@code platform replay}
 *       sends it) and evaluated its conditions once, before the shuffle (here in the set-up);</li>
 *   <li>added to the key's state ({@link KeyPartials}): to its uncovered tiles against the key's watermark
 *       (batch view's and its own), to the current epoch's row, then {@code FeaturePlan.maintain};</li>
 *   <li>the epoch's row encoded ({@link EntityTilesCodec#encode}: the realtime row written per event);</li>
 *   <li>the vector as of the event's time merged from the batch partials and the uncovered tiles
 *       ({@link ViewMerge#assembleInto}, extending the windows kept at the key's previous event:
 *       {@link WindowReads}) and scored by a GBT of 50 trees of depth 5 over the spec's layout.</li>
 * </ol>
 *
 * <p>Scenario: the key of {@link ViewMergeBenchmark} (8 days at {@value #PER_DAY} transactions a day, its
 * batch view built by {@link EntityTimeline} from every event older than an hour before its newest, the last
 * hour in {@value #ROWS} realtime rows of epochs 11-16, none covered by the cut), then a stream of
 * {@value #STREAM} records of the same key continuing its history (about every 86 s: some 6 hours), the epoch
 * advancing every {@value #PER_EPOCH} records. The stream is cycled: when it wraps, the key's state is put
 * back as it was before the stream (outside the measured operation), so event time always moves forward as
 * it would in production and the state never grows past 6 hours of events.
 *
 * <p>The floor, in the same run: the same records decoded and a vector of the layout scored by the same
 * model, without the state update, the row's encoding and the merge (what any scorer of decoded events pays).
 * {@code event} measures the key's task; {@code sourceDecode} what the source task does per record before the
 * shuffle (the text decoded, the conditions evaluated, the event encoded): the per-event path is their sum.
 * {@code decode} is the key's task reading the event back alone.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpeedEventBenchmark {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final int PER_DAY = 1000;
    private static final int DAYS = 8;
    private static final int MERCHANTS = 300;
    private static final int ROWS = 6;
    private static final int STREAM = 256;
    private static final int PER_EPOCH = 32;
    private static final long GENERATION = 1;
    private static final long VIEW_VERSION = 3;
    /** The cut of S: generation 1, checkpoint 10; the realtime rows start at epoch 11. */
    private static final ServingCut CUT = new ServingCut(GENERATION, 10);
    private static final String CARD = "4000123412341234";
    /** The columns of examples/card_fraud/transactions.csv, as replay sends them in the Kafka header. */
    private static final String HEADER = ",trans_date_trans_time,cc_num,merchant,category,amt,first,last,gender,street,city,state,zip,lat,"
            + "long,city_pop,job,dob,trans_num,unix_time,merch_lat,merch_long,is_fraud";

    private FeaturePlan plan;
    private FeatureLayout layout;
    private ViewMerge merge;
    private Scorer scorer;
    private RecordDecoding decoding;
    private EventCodec codec;
    private BatchPartials batch;

    /** The key's realtime rows before the stream, as stored, to put its state back when the stream wraps. */
    private List<byte[]> initialRows;
    private List<Long> initialEpochs;
    private long firstStreamEpoch;

    private DecodedRecord[] stream;
    /** The stream's records as Kafka delivers them, for {@link #sourceDecode}. */
    private SourceRecord[] streamLines;
    private int next;
    private KeyPartials state;
    private long epoch;
    private double[] vector;
    private double[] floorVector;
    /** The key's window reads, kept from one event to the next as the job keeps them beside its batch partials. */
    private WindowReads reads;

    @Setup
    public void setUp() {
        PipelineSpec spec = PipelineSpecs.load(CardFraudExample.spec());
        plan = FeaturePlan.of(spec);
        layout = FeatureLayout.of(spec, Map.of("category", ViewMergeBenchmark.CATEGORIES));
        merge = new ViewMerge(plan, layout);
        scorer = Scorer.of(SyntheticModels.treeEnsemble(Algorithm.GBT, 50, 5, layout.names(), 1));
        decoding = new RecordDecoding(spec);
        codec = new EventCodec(spec);
        vector = new double[layout.size()];

        Random random = new Random(7);
        long start = 1_600_000_000_000L;
        List<DecodedRecord> history = new ArrayList<>();
        int total = PER_DAY * DAYS + STREAM;
        List<SourceRecord> lines = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            // whole seconds (the source is epoch_seconds), about every 86 s, in order
            long time = (start + i * (DAY / PER_DAY) + random.nextInt(60_000)) / 1000 * 1000;
            lines.add(record(i, time, random));
        }
        List<DecodedRecord> all = lines.stream().map(this::decoded).toList();
        history.addAll(all.subList(0, PER_DAY * DAYS));
        stream = all.subList(PER_DAY * DAYS, total).toArray(DecodedRecord[]::new);
        streamLines = lines.subList(PER_DAY * DAYS, total).toArray(SourceRecord[]::new);

        List<Event> events = history.stream().map(this::read).toList();
        long newest = events.get(events.size() - 1).time();
        long snapshot = newest - HOUR;
        List<Event> inS = events.stream().filter(e -> e.time() < snapshot).toList();
        List<Event> recent = events.stream().filter(e -> e.time() >= snapshot).toList();
        batch = BatchPartials.decode(plan, new EntityTimeline(plan, layout).view(inS, snapshot).partials());

        // the last hour as the speed layer would have left it: ROWS epochs after the cut
        state = KeyPartials.empty(plan);
        state.moveTo(VIEW_VERSION, CUT, plan);
        reads = new WindowReads();
        for (Event e : recent) {
            epoch = CUT.checkpoint() + 1 + Math.min(ROWS - 1, (e.time() - snapshot) * ROWS / HOUR);
            if (process(e) == null) {
                throw new IllegalStateException("history event refused as late: " + e.time());
            }
        }
        firstStreamEpoch = epoch + 1;
        initialRows = new ArrayList<>();
        initialEpochs = new ArrayList<>();
        for (RealtimePartials row : state.rows(plan)) {
            initialRows.add(EntityTilesCodec.encode(plan, row.tiles()));
            initialEpochs.add(row.epoch());
        }
        restart();

        // the merge must give the vector of one set of tiles holding every event of the key, or this measures nothing
        Event first = read(stream[0]);
        EntityTiles everything = plan.newEntity();
        for (Event e : events) {
            plan.add(everything, e);
            plan.maintain(everything, everything.watermark());
        }
        plan.add(everything, first);
        plan.maintain(everything, everything.watermark());
        double[] expected = layout.assemble(everything, first.time(), first);
        process(first);
        if (!Arrays.equals(vector, expected)) {
            throw new IllegalStateException("merged vector differs from the one-tile-set read:\n" + layout.names() + "\n"
                    + Arrays.toString(vector) + "\n" + Arrays.toString(expected));
        }
        floorVector = expected.clone();
        restart();
        System.out.printf("%n%d events, %d in S, %d in %d realtime rows; stream of %d records (%.1f h), a new epoch every %d;"
                + " %d columns%n", events.size(), inS.size(), recent.size(), initialRows.size(), STREAM,
                (read(stream[STREAM - 1]).time() - first.time()) / (double) HOUR, PER_EPOCH, layout.size());
    }

    /**
     * The key's state size (issue 9: "state size per key after a publication drops what the view covers"):
     * the busy card's {@link KeyPartials} as Flink checkpoints it, after the 6 realtime rows of the last hour
     * and the whole stream (6 more hours), then after a publication whose cut covers every epoch but the
     * newest. Run: {@code java -cp bench/target/benchmarks.jar io.tessera.bench.SpeedEventBenchmark}.
     */
    public static void main(String[] args) throws Exception {
        SpeedEventBenchmark run = new SpeedEventBenchmark();
        run.setUp();
        Path spec = CardFraudExample.spec();
        KeyPartialsSerializer serializer = new KeyPartialsSerializer(new SpecText(Files.readString(spec), spec.toString()));
        System.out.printf("state of the key with the last hour's %d rows: %,d bytes%n", run.state.rows(run.plan).size(), size(serializer, run.state));
        for (int i = 0; i < STREAM; i++) {
            if (i > 0 && i % PER_EPOCH == 0) {
                run.epoch++;
            }
            run.process(run.read(run.stream[i]));
        }
        System.out.printf("after the stream (%d records, %d rows): %,d bytes%n", STREAM, run.state.rows(run.plan).size(), size(serializer, run.state));
        run.state.moveTo(VIEW_VERSION + 1, new ServingCut(GENERATION, run.epoch - 1), run.plan);
        System.out.printf("after a publication covering every epoch but the newest (%d row): %,d bytes%n", run.state.rows(run.plan).size(),
                size(serializer, run.state));
    }

    private static int size(KeyPartialsSerializer serializer, KeyPartials state) throws java.io.IOException {
        org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(64 * 1024);
        serializer.serialize(state, out);
        return out.length();
    }

    /** When the stream wraps, the key's state goes back to before the stream (not measured). */
    @Setup(Level.Invocation)
    public void wrap() {
        if (next == STREAM) {
            restart();
        }
    }

    /** The whole per-event path: decode, state update, the row's encoding, merge and score. */
    @Benchmark
    public double event(Blackhole blackhole) {
        DecodedRecord record = stream[next++];
        Event event = read(record);
        if (next % PER_EPOCH == 0) {
            epoch++;   // a checkpoint passed
        }
        byte[] row = process(event, record.selection());
        blackhole.consume(row);
        return scorer.score(vector);
    }

    /** The floor: the same records decoded and a vector of the layout scored; no state, no merge. */
    @Benchmark
    public double floor() {
        DecodedRecord record = stream[next++];
        Event event = read(record);
        floorVector[0] = event.time();   // so the score depends on the event
        return scorer.score(floorVector);
    }

    /**
     * What the source task does per record before the shuffle: the text decoded into an event, its conditions
     * evaluated, the event encoded for the key's task. The per-event path is this plus {@link #event}.
     */
    @Benchmark
    public DecodedRecord sourceDecode() {
        SourceRecord line = streamLines[next++];
        return decoded(line);
    }

    /** Reading the event back alone (the key's task, from what the source task sent). */
    @Benchmark
    public Event decode() {
        return read(stream[next++]);
    }

    /**
     * RealtimeScoring.processElement from the decoded event to the score, without Flink's state and outputs;
     * the vector is left in {@link #vector}.
     *
     * @return the epoch row's bytes, or null if the event is late
     */
    private byte[] process(Event event) {
        return process(event, plan.select(event));
    }

    private byte[] process(Event event, Selection selection) {
        long watermark = Math.max(state.uncovered().watermark(), batch.watermark());
        if (plan.add(state.uncovered(), event, watermark, selection) == Admission.LATE) {
            return null;
        }
        EntityTiles row = state.row(GENERATION, epoch, plan);
        plan.add(row, event, Long.MIN_VALUE, selection);
        plan.maintain(state.uncovered(), state.uncovered().watermark());
        merge.assembleInto(vector, batch, state.uncovered(), event.time(), event, reads);
        if (event.time() >= state.newestScoredTime()) {
            state.scored(event.time());
        }
        return state.encodeNewestRow(plan);
    }

    private void restart() {
        List<RealtimePartials> rows = new ArrayList<>();
        for (int r = 0; r < initialRows.size(); r++) {
            rows.add(new RealtimePartials(GENERATION, initialEpochs.get(r), EntityTilesCodec.decode(plan, initialRows.get(r))));
        }
        state = KeyPartials.empty(plan);
        state.adopt(rows, plan);
        state.moveTo(VIEW_VERSION, CUT, plan);
        reads = new WindowReads();
        epoch = firstStreamEpoch;
        next = 0;
    }

    private Event read(DecodedRecord record) {
        return record.event(codec);
    }

    /** A record decoded as the job's source task decodes it. */
    private DecodedRecord decoded(SourceRecord line) {
        return new DecodedRecord(line, (RecordDecoding.Valid) decoding.decode(line.value, line.csvHeader), codec);
    }

    /** One line of transactions.csv's shape for the card, as Kafka delivers it. */
    private static SourceRecord record(int i, long time, Random random) {
        double amount = Math.round(Math.exp(3.5 + random.nextGaussian()) * 100) / 100.0;
        String category = ViewMergeBenchmark.CATEGORIES.get(random.nextInt(ViewMergeBenchmark.CATEGORIES.size()));
        String line = i + ",2020-06-21 12:14:25," + CARD + ",merchant_" + random.nextInt(MERCHANTS) + "," + category + "," + amount
                + ",Jeff,Elliott,M,351 Darlene Green,Columbia,SC,29209,33.9659,-80.9355,50000,Mechanical engineer,1968-03-19,"
                + Long.toHexString(random.nextLong()) + "," + time / 1000 + ",33.986391,-81.200714,0";
        return new SourceRecord(line, "transactions:0:" + i, false, HEADER, CARD);
    }
}
