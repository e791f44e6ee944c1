package io.tessera.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotRef;
import io.tessera.featurestore.contract.TrainingProvenance;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.merge.EntityTimeline;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelBody;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.spec.Task;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.serving.api.ApiKeys;
import io.tessera.serving.api.PipelineService;
import io.tessera.serving.api.QueryServer;
import io.tessera.serving.store.BatchViewRow;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.RealtimeRow;
import io.tessera.serving.store.ServingStore;
import io.tessera.serving.store.ViewBuckets;
import io.tessera.serving.store.ViewPublication;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The query API under an open-loop, constant-rate load, beside its floor: the same two Cassandra reads
 * per key (the key's batch row and realtime partition) with the driver alone, in the same run. Latency
 * is measured from each request's intended send time, so a stall delays every request scheduled behind
 * it (coordinated omission corrected, as wrk2 does); 64 client threads on kept-alive connections send them. Needs a Cassandra node (`./platform stack up
 * cassandra`); writes a synthetic card_fraud view of its own into keyspace {@code bench_api} once.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.tessera.bench.ApiLoad [host:port] [seconds]}
 */
public final class ApiLoad {

    private static final String PIPELINE = "bench_api";
    private static final int KEYS = 20_000;
    /** A request unanswered by then counts as an error at its full latency: the run always ends. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Client threads: enough to keep the server's queue full at the highest rate, each on a kept-alive connection. */
    private static final java.util.concurrent.ThreadPoolExecutor CLIENTS = (java.util.concurrent.ThreadPoolExecutor)
            java.util.concurrent.Executors.newFixedThreadPool(64, runnable -> {
                Thread thread = new Thread(runnable, "load");
                thread.setDaemon(true);
                return thread;
            });

    static {
        System.setProperty("http.maxConnections", "64");   // HttpURLConnection keeps 5 alive per host by default
    }
    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_700_000_000_000L / HOUR * HOUR;
    private static final List<String> CATEGORIES = List.of("gas_transport", "grocery_pos", "home", "shopping_pos", "kids_pets",
            "shopping_net", "entertainment", "food_dining", "personal_care", "health_fitness", "misc_pos", "misc_net", "grocery_net", "travel");

    public static void main(String[] args) throws Exception {
        String cassandra = args.length > 0 ? args[0] : "127.0.0.1:9042";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        PipelineSpec spec = PipelineSpecs.parse(Files.readString(specFile()).replace("pipeline: card_fraud", "pipeline: " + PIPELINE),
                "bench_api.yaml");
        CassandraTarget target = CassandraTarget.parse(cassandra);
        Path dir = Files.createTempDirectory("api-load");
        try (ServingStore store = ServingStore.open(target, PIPELINE, spec.serving().view())) {
            store.migrate();
            publish(spec, store, dir);
        }
        ServingStore serving = ServingStore.open(target.withRequestTimeout(Duration.ofSeconds(2)), PIPELINE, spec.serving().view());
        try (QueryServer server = QueryServer.start(QueryServer.Settings.local(0), List.of(new PipelineService(spec, serving)), ApiKeys.none());
             CqlSession floorSession = target.open()) {
            String base = "http://127.0.0.1:" + server.port() + "/v1/pipelines/" + PIPELINE + "/entities/";
            long at = T0 + 8 * 24 * HOUR;
            Call api = key -> http("GET", base + card(key) + "?at=" + at, null);
            PreparedStatement batchRow = floorSession.prepare("SELECT partials, events, newest_event_time, newest_event_vector, score FROM "
                    + PIPELINE + ".batch_view WHERE view_version = ? AND bucket = ? AND entity = ?");
            PreparedStatement realtime = floorSession.prepare("SELECT generation, epoch, partials, score FROM " + PIPELINE + ".realtime_view WHERE entity = ?");
            long version = serving.current().orElseThrow().version();
            int buckets = serving.current().orElseThrow().buckets();
            Call floor = key -> {
                String card = card(key);
                floorSession.execute(batchRow.bind(version, ViewBuckets.of(card, buckets), card)).one();
                floorSession.execute(realtime.bind(card)).all();
            };
            // the JIT first: a cold server under a rate it cannot take yet builds a queue it never works off
            warmUp(api, 500, 20);
            warmUp(floor, 500, 10);
            System.out.printf("%,d keys, one view version, 20%% of keys with a realtime row; %d s per run after %d s of warm-up at its rate%n",
                    KEYS, seconds, 5);
            System.out.println("| load | rate (req/s) | achieved | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | errors |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (int rate : new int[] {1_000, 2_000, 5_000}) {
                Result f = run("floor: driver reads", floor, rate, seconds);
                Result a = run("GET entity", api, rate, seconds);
                System.out.printf("  -> p99 GET / floor at %,d/s: %.2f%n", rate, a.p99() / f.p99());
            }
            String event = "{\"cc_num\": \"%s\", \"amt\": 42.5, \"category\": \"travel\", \"merchant\": \"m7\", \"city_pop\": 5000,"
                    + " \"is_fraud\": 0, \"unix_time\": " + (at / 1000) + "}";
            Call score = key -> http("POST", base + card(key) + ":score", event.formatted(card(key)));
            warmUp(score, 500, 10);
            run("POST :score", score, 1_000, seconds);
            String batchBase = "http://127.0.0.1:" + server.port() + "/v1/pipelines/" + PIPELINE + "/entities:batchGet";
            Call batch = key -> {
                StringBuilder keys = new StringBuilder("{\"keys\": [");
                for (int i = 0; i < 100; i++) {
                    keys.append(i == 0 ? "" : ",").append('"').append(card((key * 100 + i) % KEYS)).append('"');
                }
                keys.append("], \"at\": ").append(at).append('}');
                http("POST", batchBase, keys.toString());
            };
            run("POST batchGet of 100 keys", batch, 20, seconds);
        } finally {
            serving.close();
        }
        System.exit(0);
    }

    private record Result(double p50, double p99) {
    }

    private static void warmUp(Call request, int rate, int seconds) throws InterruptedException {
        schedule(request, rate, seconds, new Recorder(3), new AtomicLong());
    }

    /** Requests at a constant rate for {@code seconds}, after a warm-up at the same rate; latency from the intended send time. */
    private static Result run(String name, Call request, int rate, int seconds) throws InterruptedException {
        schedule(request, rate, 5, new Recorder(3), new AtomicLong());
        Recorder recorder = new Recorder(3);
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long sent = schedule(request, rate, seconds, recorder, errors);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram h = recorder.getIntervalHistogram();
        Result result = new Result(h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6);
        System.out.printf("| %s | %,d | %,.0f | %.2f | %.2f | %.2f | %.2f | %d |%n", name, rate, sent / elapsed, result.p50(), result.p99(),
                h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6, errors.get());
        return result;
    }

    private static long schedule(Call request, int rate, int seconds, Recorder recorder, AtomicLong errors) throws InterruptedException {
        long interval = 1_000_000_000L / rate;
        long total = (long) rate * seconds;
        Random keys = new Random(7);
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long intended = start + i * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int key = keys.nextInt(KEYS);
            // a saturated pool queues the call: the wait counts, from the time it should have been sent
            CLIENTS.execute(() -> {
                try {
                    request.run(key);
                } catch (Exception e) {
                    errors.incrementAndGet();
                } finally {
                    recorder.recordValue(Math.max(0, System.nanoTime() - intended));
                }
            });
        }
        while (CLIENTS.getActiveCount() > 0 || !CLIENTS.getQueue().isEmpty()) {
            Thread.sleep(10);
        }
        return total;
    }

    /** One call of the load: a blocking request on a kept-alive connection, or the floor's reads. */
    private interface Call {
        void run(int key) throws Exception;
    }

    private static void http(String method, String uri, String body) throws java.io.IOException {
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection) URI.create(uri).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout((int) TIMEOUT.toMillis());
        connection.setReadTimeout((int) TIMEOUT.toMillis());
        if (body != null) {
            connection.setDoOutput(true);
            connection.getOutputStream().write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        int status = connection.getResponseCode();
        try (java.io.InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (in != null) {
                in.readAllBytes();   // read whole, so the connection goes back to the keep-alive pool
            }
        }
        if (status != 200) {
            throw new IllegalStateException("HTTP " + status + " for " + method + " " + uri);
        }
    }

    private static String card(int key) {
        return Long.toString(4_000_000_000_000_000L + key);
    }

    /** 20,000 cards with 3 to 60 events over a week, a champion of their layout, realtime rows for one card in five. */
    private static void publish(PipelineSpec spec, ServingStore store, Path dir) throws Exception {
        if (store.current().map(v -> v.view().entities() == KEYS).orElse(false)) {
            return;
        }
        Map<String, List<String>> vocabulary = Map.of("category", CATEGORIES);
        FeaturePlan plan = FeaturePlan.of(spec);
        FeatureLayout layout = FeatureLayout.of(spec, vocabulary);
        double[] coefficients = new double[layout.size()];
        Arrays.fill(coefficients, 0.001);
        ModelArtifact champion = ModelArtifact.of(spec.name(), 1, Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, layout.names(),
                vocabulary, new ModelBody.Linear(coefficients, -3.0), Map.of(), Map.of("auc", 0.9),
                new TrainingProvenance(1, T0, "bench", "none", spec.fingerprint(), layout.fingerprint()).toMap());
        Path model = dir.resolve("model.json");
        ModelFormat.write(champion, model);
        EntityTimeline timeline = new EntityTimeline(plan, layout);
        Random random = new Random(11);
        List<BatchViewRow> rows = new ArrayList<>();
        List<RealtimeRow> realtime = new ArrayList<>();
        for (int key = 0; key < KEYS; key++) {
            String card = card(key);
            List<Event> events = new ArrayList<>();
            int n = 3 + random.nextInt(58);
            for (int i = 0; i < n; i++) {
                events.add(event(card, T0 + (long) (random.nextDouble() * 7 * 24 * HOUR) / 1000 * 1000, random));
            }
            events.sort(java.util.Comparator.comparingLong(Event::time));
            EntityTimeline.KeyView view = timeline.view(events, T0 + 7 * 24 * HOUR);
            rows.add(new BatchViewRow(card, view.partials(), view.events(), view.newestEvent().time(), view.newestEventVector(),
                    java.util.Optional.of(0.1)));
            if (key % 5 == 0) {
                EntityTiles tiles = plan.newEntity();
                plan.add(tiles, event(card, T0 + 7 * 24 * HOUR + random.nextInt(3_600) * 1000L, random), Long.MIN_VALUE);
                realtime.add(new RealtimeRow(card, 1, 1, EntityTilesCodec.encode(plan, tiles)));
            }
        }
        long version = store.current().map(v -> v.version() + 1).orElse(1L);
        PublishedView view = new PublishedView(spec.name(), version, new SnapshotRef(version, version, T0), ServingCut.NONE, T0 + 7 * 24 * HOUR,
                java.util.Optional.of(new ChampionRef(spec.name(), 1, model.toString(), ModelFormat.checksum(champion))), java.util.Optional.empty(),
                spec.fingerprint(), plan.fingerprint(), layout.fingerprint(), layout.names(), vocabulary, KEYS, System.currentTimeMillis());
        ViewPublication publication = store.newPublication(view);
        publication.rowsWritten(publication.rowWriter().write(rows.iterator()));
        publication.commit();
        var writer = store.realtimeWriter();
        realtime.forEach(row -> writer.write(row, java.time.Instant.now()));
    }

    private static Event event(String card, long time, Random random) {
        return new Event(time, Map.of("cc_num", card, "amt", Math.round(Math.exp(3.5 + random.nextGaussian()) * 100) / 100.0,
                "category", CATEGORIES.get(random.nextInt(CATEGORIES.size())), "merchant", "m" + random.nextInt(500), "city_pop", 5_000L,
                "is_fraud", 0L));
    }

    private static Path specFile() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("examples/card_fraud/pipeline.yaml");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("run from the repository: examples/card_fraud/pipeline.yaml not found");
    }
}
