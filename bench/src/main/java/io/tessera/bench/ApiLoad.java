package io.tessera.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
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
import io.tessera.serving.store.BatchViewRow;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.RealtimeRow;
import io.tessera.serving.store.ServingStore;
import io.tessera.serving.store.ViewBuckets;
import io.tessera.serving.store.ViewPublication;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.client.util.BufferingResponseListener;
import org.eclipse.jetty.client.util.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The query API under an open-loop, constant-rate load, beside its floor: the same two Cassandra reads
 * per key (the key's batch row and realtime partition, issued together) with the driver alone, in the
 * same run. The API runs in a JVM of its own ({@link ApiProcess}, as {@code platform serve} runs it);
 * this JVM only sends: {@link OpenLoop} schedules requests at their due times and measures each from
 * then (coordinated omission corrected) with an asynchronous HTTP client over a bounded pool of
 * kept-alive connections, as wrk2 keeps its connections: a request that finds every connection busy
 * waits in the client's queue, and that wait is in its latency. Each row also gives the API JVM's CPU
 * per request and the machine's load average, since the cores are shared. Needs a Cassandra node ({@code ./platform stack up
 * cassandra}) and serving-layer built; writes a synthetic card_fraud view of its own into keyspace
 * {@code bench_api} once.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.tessera.bench.ApiLoad [host:port] [seconds]}; the
 * API's JVM options are {@code -Dapi.jvm="-Xmx1g ..."} (a flight recording, say), further options of
 * {@code ServeMain} {@code -Dapi.options="--batch-cache-mb 0"}; the rates of single GETs {@code -Drates=1000,2000,5000}
 * (the default; {@code :score} runs at the first, at most 1,000/s) and of {@code batchGet}s {@code -Dbatch.rates=20,50}.
 */
public final class ApiLoad {

    private static final String PIPELINE = "bench_api";
    private static final int KEYS = 20_000;
    /** A request unanswered by then counts as an error at its full latency: the run always ends. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /**
     * Outstanding requests at most: far beyond what a rate here needs while answers keep up (5,000/s at
     * 50 ms is 250), and within the 1,024 requests one driver connection takes at once (the floor sends two per key).
     */
    private static final int MAX_IN_FLIGHT = 500;
    private static final int WARM_UP_SECONDS = 5;
    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_700_000_000_000L / HOUR * HOUR;
    private static final List<String> CATEGORIES = List.of("gas_transport", "grocery_pos", "home", "shopping_pos", "kids_pets",
            "shopping_net", "entertainment", "food_dining", "personal_care", "health_fitness", "misc_pos", "misc_net", "grocery_net", "travel");

    /*
     * The JDK's own HttpClient cannot bound its connections: at 1,000 requests/s it held 659 open to the API,
     * and the API's CPU per request tripled (bench/README.md, "Query API under load").
     */
    private static final HttpClient HTTP = new HttpClient();
    private static final OpenLoop LOAD = new OpenLoop(KEYS, MAX_IN_FLIGHT);

    public static void main(String[] args) throws Exception {
        String cassandra = args.length > 0 ? args[0] : "127.0.0.1:9042";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path repository = repository();
        HTTP.setMaxConnectionsPerDestination(Integer.getInteger("connections", 64));
        HTTP.setMaxRequestsQueuedPerDestination(2 * MAX_IN_FLIGHT);
        HTTP.setConnectTimeout(TIMEOUT.toMillis());
        HTTP.start();
        String yaml = Files.readString(repository.resolve("examples/card_fraud/pipeline.yaml")).replace("pipeline: card_fraud", "pipeline: " + PIPELINE);
        PipelineSpec spec = PipelineSpecs.parse(yaml, "bench_api.yaml");
        CassandraTarget target = CassandraTarget.parse(cassandra);
        Path dir = Files.createTempDirectory("api-load");
        Path specFile = Files.writeString(dir.resolve("bench_api.yaml"), yaml);
        long version;
        int buckets;
        try (ServingStore store = ServingStore.open(target, PIPELINE, spec.serving().view())) {
            store.migrate();
            publish(spec, store, dir);
            version = store.current().orElseThrow().version();
            buckets = store.current().orElseThrow().buckets();
        }
        // compiler threads that stay: ApiProcess.compilerNanos sums theirs, and a thread that ended would take its time with it
        List<String> apiJvm = words(System.getProperty("api.jvm", "-Xmx1g") + " -XX:-UseDynamicNumberOfCompilerThreads");
        List<String> apiOptions = words(System.getProperty("api.options", ""));
        try (ApiProcess api = ApiProcess.start(repository, apiJvm, apiOptions, specFile, cassandra, dir.resolve("api.log"));
             CqlSession floorSession = target.open()) {
            String base = "http://127.0.0.1:" + api.port() + "/v1/pipelines/" + PIPELINE + "/entities/";
            long at = T0 + 8 * 24 * HOUR;
            OpenLoop.Call get = key -> send(HTTP.newRequest(base + card(key) + "?at=" + at).method(HttpMethod.GET));
            PreparedStatement batchRow = floorSession.prepare("SELECT partials, events, newest_event_time, newest_event_vector, score FROM "
                    + PIPELINE + ".batch_view WHERE view_version = ? AND bucket = ? AND entity = ?");
            PreparedStatement realtime = floorSession.prepare("SELECT generation, epoch, partials, score, score_model, score_model_version,"
                    + " score_role, score_view_version, score_snapshot_id, score_snapshot_sequence, score_snapshot_committed_at,"
                    + " score_event_time FROM " + PIPELINE + ".realtime_view WHERE entity = ?");
            // what the API cannot avoid: both partitions read at once, as the API reads them, and every row of each consumed
            OpenLoop.Call floor = key -> {
                String card = card(key);
                CompletableFuture<?> batch = floorSession.executeAsync(batchRow.bind(version, ViewBuckets.of(card, buckets), card))
                        .thenApply(AsyncResultSet::one).toCompletableFuture();
                CompletableFuture<?> rows = floorSession.executeAsync(realtime.bind(card)).thenApply(r -> {
                    r.currentPage().forEach(row -> { });
                    return r;
                }).toCompletableFuture();
                return CompletableFuture.allOf(batch, rows);
            };
            String batchGet = "http://127.0.0.1:" + api.port() + "/v1/pipelines/" + PIPELINE + "/entities:batchGet";
            OpenLoop.Call batch = key -> {
                StringBuilder keys = new StringBuilder("{\"keys\": [");
                for (int i = 0; i < 100; i++) {
                    keys.append(i == 0 ? "" : ",").append('"').append(card((key * 100 + i) % KEYS)).append('"');
                }
                keys.append("], \"at\": ").append(at).append('}');
                return send(HTTP.newRequest(batchGet).method(HttpMethod.POST).body(new StringRequestContent("application/json", keys.toString())));
            };
            // every key read once, in batches of 100: the API's cache of decoded batch rows then holds them all, as a
            // long-running API holds its hot keys, and the runs measure that steady state rather than the cache filling
            // (each first read of a key promotes its decoded row to the old generation: the young collections of a
            // filling cache copied 10 to 20 MB each, for pauses of 10 to 25 ms)
            for (int first = 0; first < KEYS / 100; first++) {
                batch.start(first).join();
            }
            // the JIT first: a cold server under a rate it cannot take yet builds a queue it never works off
            int[] rates = rates("rates", "1000,2000,5000");
            warmUp(api, List.of(get, floor), Math.min(1_000, rates[0]));
            System.out.printf("%,d keys, one view version, 20%% of keys with a realtime row; %d s per run after %d s at its rate;"
                    + " the API in its own JVM (%s; serve %s)%n", KEYS, seconds, WARM_UP_SECONDS, String.join(" ", apiJvm), String.join(" ", apiOptions));
            System.out.println("| load | rate (req/s) | achieved | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | errors | API CPU (ms/s) | API CPU per request (us) | load avg (1 min) |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
            List<String> ratios = new ArrayList<>();
            for (int rate : rates) {
                OpenLoop.Run f = measure("floor: driver reads", floor, rate, seconds, null, 1);
                OpenLoop.Run a = measure("GET entity", get, rate, seconds, api, 1);
                ratios.add(String.format("GET / floor at %,d/s: p50 %.2f, p99 %.2f, p99.9 %.2f", rate, a.millisAt(50) / f.millisAt(50),
                        a.millisAt(99) / f.millisAt(99), a.millisAt(99.9) / f.millisAt(99.9)));
            }
            String event = "{\"cc_num\": \"%s\", \"amt\": 42.5, \"category\": \"travel\", \"merchant\": \"m7\", \"city_pop\": 5000,"
                    + " \"is_fraud\": 0, \"unix_time\": " + (at / 1000) + "}";
            OpenLoop.Call score = key -> send(HTTP.newRequest(base + card(key) + ":score").method(HttpMethod.POST)
                    .body(new StringRequestContent("application/json", event.formatted(card(key)))));
            LOAD.run(score, 200, 10);
            measure("POST :score", score, Math.min(1_000, rates[0]), seconds, api, 1);
            for (int rate : rates("batch.rates", "20,50")) {
                measure("POST batchGet of 100 keys", batch, rate, seconds, api, 100);
            }
            ratios.forEach(System.out::println);
        }
        System.exit(0);
    }

    /**
     * Requests (GETs and the floor's reads in turn, 10 s each) from 200/s up to {@code rate} in steps of
     * 200/s, for at least a minute and until the API's JIT compiler has used under 5% of a core over the
     * last 10 s, or 5 minutes. A cold server under a rate it cannot take yet builds a queue it never works
     * off; a server warmed only at a low rate compiles again at the first higher one, inside the measurement.
     */
    private static void warmUp(ApiProcess api, List<OpenLoop.Call> calls, int rate) {
        long start = System.nanoTime();
        for (int round = 0; ; round++) {
            int roundRate = Math.min(rate, 200 * (round + 1));
            long compiled = api.compilerNanos();
            LOAD.run(calls.get(round % calls.size()), roundRate, 10);
            long compiling = api.compilerNanos() - compiled;
            boolean settled = roundRate == rate && compiling < 500_000_000L && System.nanoTime() - start > 60_000_000_000L;
            if (compiled < 0 || settled || System.nanoTime() - start > 300_000_000_000L) {
                System.out.printf("warm-up: %d s up to %,d req/s; the JIT compiled for %.1f s of CPU in its last 10 s%n",
                        (System.nanoTime() - start) / 1_000_000_000L, roundRate, compiling / 1e9);
                return;
            }
        }
    }

    /**
     * A run after {@value #WARM_UP_SECONDS} s at the same rate, printed as a table row; with the API's
     * process, its CPU over the run per request (per key: {@code keysPerRequest}).
     */
    private static OpenLoop.Run measure(String name, OpenLoop.Call call, int rate, int seconds, ApiProcess api, int keysPerRequest) {
        LOAD.run(call, rate, WARM_UP_SECONDS);
        long cpuBefore = api == null ? 0 : api.cpuNanos();
        OpenLoop.Run run = LOAD.run(call, rate, seconds);
        String cpu = "";
        String cpuPer = "";
        if (api != null) {
            double cpuNanos = api.cpuNanos() - cpuBefore;
            cpu = String.format("%.0f", cpuNanos / 1e6 / run.seconds());
            cpuPer = String.format("%.0f", cpuNanos / 1e3 / (run.sent() * keysPerRequest)) + (keysPerRequest > 1 ? " per key" : "");
        }
        System.out.printf("| %s | %,d | %,.0f | %.2f | %.2f | %.2f | %.2f | %d | %s | %s | %s |%n", name, rate, run.achieved(), run.millisAt(50),
                run.millisAt(99), run.millisAt(99.9), run.latency().getMaxValue() / 1e6, run.errors(), cpu, cpuPer, loadAverage());
        if (run.firstError() != null) {
            System.out.println("  first error: " + run.firstError());
        }
        return run;
    }

    /** A request sent asynchronously; anything but a 200 is a failure. */
    private static CompletableFuture<?> send(Request request) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        request.timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).send(new BufferingResponseListener(4 * 1024 * 1024) {
            @Override
            public void onComplete(Result result) {
                if (result.isFailed()) {
                    answer.completeExceptionally(result.getFailure());
                } else if (result.getResponse().getStatus() != 200) {
                    answer.completeExceptionally(new IllegalStateException("HTTP " + result.getResponse().getStatus() + " for "
                            + result.getRequest().getURI() + ": " + getContentAsString()));
                } else {
                    answer.complete(null);
                }
            }
        });
        return answer;
    }

    private static int[] rates(String property, String defaults) {
        return Arrays.stream(System.getProperty(property, defaults).split(",")).mapToInt(rate -> Integer.parseInt(rate.trim())).toArray();
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
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
            events.sort(io.tessera.featurestore.event.EventOrder.COMPARATOR);   // the replay's order: same-second events too
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

    private static Path repository() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("examples/card_fraud/pipeline.yaml"))) {
                return d;
            }
        }
        throw new IllegalStateException("run from the repository: examples/card_fraud/pipeline.yaml not found");
    }
}
