package io.tessera.jobs.cli;

import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.jobs.demo.StackTour;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.Score;
import io.tessera.serving.store.EntityReading;
import io.tessera.serving.store.ServingReader;
import io.tessera.serving.store.ServingStore;
import io.tessera.jobs.generate.CardTransactionGenerator;
import io.tessera.jobs.serve.QueryApi;
import io.tessera.jobs.speed.SpeedLayer;
import io.tessera.stack.LocalStack;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code platform demo}: the platform end to end on embedded defaults, saying what it does. Safe to run
 * again: ingests are idempotent and a retrain of the same snapshot and cutoff resumes.
 */
@Command(name = "demo", description = "Bring the stack up and run the platform end to end on the card_fraud example, printing what it does.")
final class DemoCommand implements Callable<Integer> {

    /** The real sample's event time ends on 2013-06-22; the generated month follows it. */
    private static final Instant SAMPLE_CUTOFF = Instant.parse("2013-06-23T00:00:00Z");
    private static final Instant GENERATED_START = SAMPLE_CUTOFF;
    private static final int GENERATED_DAYS = 14;
    private static final Instant GENERATED_CUTOFF = GENERATED_START.plusSeconds(GENERATED_DAYS * 86_400L);
    /** A card of the real sample, in the batch view since the first retrain. */
    private static final String SAMPLE_CARD = "2291163933867244";

    @ParentCommand
    PlatformCommand platform;

    @Option(names = "--events", defaultValue = "100000", description = "Generated transactions after the real sample (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--example", defaultValue = "examples/card_fraud", description = "Example folder with pipeline.yaml and transactions.csv.")
    Path example;

    @Option(names = "--keep-running", description = "Leave the speed layer running at the end (the stack always stays up).")
    boolean keepRunning;

    private String phase;
    private long phaseStarted;

    /** Transactions of the day after the second retrain's cutoff, replayed through Kafka. */
    private static final long STREAM_EVENTS = 5_000;
    /** Transactions of the day after, replayed once the nightly retrain has published. */
    private static final long NEXT_EVENTS = 500;
    private static final Duration SCORED_WITHIN = Duration.ofMinutes(3);

    @Override
    public Integer call() throws Exception {
        StackSettings settings = platform.settings();
        Path root = Path.of(System.getProperty("tessera.root", "."));
        Path exampleDir = example.isAbsolute() ? example : root.resolve(example);
        String spec = exampleDir.resolve("pipeline.yaml").toString();
        String pipeline = "card_fraud";

        step("1. the local stack: Kafka, Cassandra, the Iceberg catalog and Trino on 127.0.0.1");
        new LocalStack(settings, System.out).up(Set.of());

        step("2. the pipeline spec: one definition for every layer");
        run("spec", "explain", spec);

        step("3. batch layer: the real sample into the lake (bad records would go to quarantine)");
        run("ingest", "--spec", spec, "--file", exampleDir.resolve("transactions.csv").toString());

        step("4. batch layer: nightly retrain as of " + SAMPLE_CUTOFF + " (5,116 events, 18 frauds in 4 bursts)");
        run("retrain", "--spec", spec, "--cutoff", SAMPLE_CUTOFF.toString());

        step("5. two more weeks of (generated, seeded) transactions, then retrain as of " + GENERATED_CUTOFF);
        Path generated = settings.home().resolve("demo").resolve("transactions-generated-" + events + ".csv");
        if (!Files.exists(generated)) {
            Files.createDirectories(generated.getParent());
            try (Writer writer = Files.newBufferedWriter(generated)) {
                long frauds = new CardTransactionGenerator(42, 2_000, GENERATED_START, GENERATED_DAYS).write(events, writer);
                System.out.printf("generated %d transactions (%d fraud) in %s%n", events, frauds, generated);
            }
        }
        run("ingest", "--spec", spec, "--file", generated.toString());
        run("retrain", "--spec", spec, "--cutoff", GENERATED_CUTOFF.toString());

        StackTour tour = new StackTour(settings.kafkaBootstrap(),
                new InetSocketAddress(StackSettings.BIND_HOST, settings.port("cassandra.port")), settings.trinoJdbcUrl());
        PipelineSpec pipelineSpec = PipelineSpecs.load(Path.of(spec));

        step("6. speed layer: Flink reads " + pipelineSpec.source().topic() + ", appends to the lake and scores every event with the champion");
        if (new SpeedLayer(settings, pipeline).isRunning()) {
            System.out.println("the speed layer of " + pipeline + " runs already (left by an earlier demo run): it goes on");
        } else {
            run("speed", "start", "--spec", spec);
        }

        step("7. the next day's transactions, replayed through Kafka and scored as they arrive");
        StreamedEvent last = replayScored(settings, spec, pipelineSpec, 42, GENERATED_CUTOFF, STREAM_EVENTS).event();
        String card = last.card();

        step("8. the nightly retrain, triggered through the scheduler (platform jobs run-now): a view of the lake's newest snapshot,"
                + " whose champion the running speed layer picks up");
        run("jobs", "run-now", "--spec", spec);
        PublishedView nightly;
        try (ServingStore store = ServingStore.open(ServingSettings.target(settings), pipeline, pipelineSpec.serving().view())) {
            nightly = store.current().orElseThrow().view();
        }
        System.out.printf("serving view v%d of lake snapshot %d (cut %s), champion %s%n", nightly.viewVersion(), nightly.snapshot().id(),
                nightly.cut(), nightly.champion().map(c -> c.name() + " v" + c.version()).orElse("none"));
        System.out.println("the view holds the snapshot's events up to its cut, rounded down to the end of a bucket of speed.bucket.epochs"
                + " checkpoints; the speed layer's events above it stay in its realtime rows, and every read merges both");
        // a day after every day replayed before, also by an earlier run of the demo in this home: a day's events replayed
        // again would be late for their cards (quarantined, not scored) and their cards would keep their earlier scores
        Instant nextDay = GENERATED_CUTOFF.plus(Duration.ofDays(1 + nightly.viewVersion()));
        Score next = replayScored(settings, spec, pipelineSpec, 43, nextDay, NEXT_EVENTS).score();
        if (next.provenance().viewVersion() != nightly.viewVersion()) {
            throw new IllegalStateException("the speed layer scored the next day's last event with view v" + next.provenance().viewVersion()
                    + ", not the nightly v" + nightly.viewVersion() + ": see ./platform speed status and its log");
        }
        System.out.printf("the speed layer scores with view v%d and its champion %s%n", next.provenance().viewVersion(),
                next.provenance().model().orElseThrow());

        step("9. serving: the query API, as an application calls it by key (batch partials + realtime partials, with provenance)");
        QueryApi api = new QueryApi(settings);
        if (!api.isRunning()) {
            run("serve", "--spec", spec, "--background");
        }
        String apiUrl = api.status().url();
        // as of just after the stream's last event: the demo's events are from 2013, and windows ending now would be empty
        Instant asOf = Instant.ofEpochMilli(last.time() + 1);
        for (String shown : List.of(card, SAMPLE_CARD)) {
            String url = apiUrl + "/v1/pipelines/" + pipeline + "/entities/" + shown + "?at=" + asOf;
            System.out.println("GET " + url);
            System.out.println(apiAnswer(url));
        }

        step("10. analysts: the same numbers through Trino (catalogs lake and serving; views by platform serving migrate)");
        run("serving", "migrate", "--spec", spec);
        print(tour, "SELECT entity, round(score, 4) AS score, model, model_version, role, layer, event_time, view_version, snapshot_id"
                + " FROM lake." + pipeline + ".current WHERE entity = '" + card + "'");
        print(tour, "SELECT version, status, round(element_at(metrics, 'logloss'), 5) AS logloss, round(element_at(metrics, 'auc'), 4) AS auc, gate_reason"
                + " FROM lake." + pipeline + ".models ORDER BY version");
        print(tour, "SELECT view_version, state, snapshot_id, cutoff, champion_version, entities FROM lake." + pipeline + ".publications"
                + " ORDER BY view_version");
        print(tour, "SELECT ingest_source LIKE 'kafka:%' AS from_kafka, count(*) AS events, count(DISTINCT cc_num) AS cards, sum(is_fraud) AS frauds"
                + " FROM lake." + pipeline + ".events GROUP BY 1 ORDER BY 1");
        print(tour, "SELECT model_version, view_version, count(*) AS scores, round(avg(score), 4) AS mean_score FROM lake." + pipeline
                + ".scores GROUP BY 1, 2 ORDER BY 1, 2");

        step("11. the live consistency check: the API's vectors of sampled cards against the lake's events, recomputed, tolerance zero");
        run("check", "consistency", "--spec", spec, "--sample", "20");

        step("12. the control stream from the batch layer to the speed layer (" + pipeline + ".control)");
        tour.lastMessage(pipeline + ".control").ifPresent(System.out::println);
        if (!keepRunning) {
            run("speed", "stop", "--spec", spec);
        }

        step("done");
        System.out.println("reports:  " + settings.warehouse().resolve(pipeline).resolve("models") + "/v<N>/report.html");
        System.out.println("SQL:      ./platform sql (the Trino CLI), or " + settings.trinoJdbcUrl() + " (catalogs lake, serving)");
        System.out.println("API:      curl " + apiUrl + "/v1/pipelines/" + pipeline + "/entities/" + card + "  (routes: " + apiUrl
                + "/openapi.json)");
        System.out.println("speed:    ./platform speed status" + (keepRunning ? "; Flink's web UI http://127.0.0.1:"
                + settings.port("speed.rest.port") : " (stopped with a savepoint; ./platform speed start --spec " + spec + " resumes it)"));
        System.out.println("stop:     ./platform stack down");
        return 0;
    }

    /** A stream's last event and the score the speed layer gave it. */
    private record Scored(StreamedEvent event, Score score) {
    }

    /**
     * One day of generated transactions from {@code start} replayed through Kafka; returns once the speed
     * layer has scored the last (every event before it on its partition was scored first).
     */
    private Scored replayScored(StackSettings settings, String spec, PipelineSpec pipelineSpec, long seed, Instant start, long count)
            throws Exception {
        Path stream = settings.home().resolve("demo").resolve("transactions-stream-" + seed + "-" + start.toString().substring(0, 10) + "-"
                + count + ".csv");
        if (!Files.exists(stream)) {
            Files.createDirectories(stream.getParent());
            try (Writer writer = Files.newBufferedWriter(stream)) {
                new CardTransactionGenerator(seed, 2_000, start, 1).write(count, writer);
            }
        }
        long replayed = System.nanoTime();
        run("replay", "--spec", spec, "--file", stream.toString(), "--no-progress");
        StreamedEvent last = lastEvent(stream);
        EntityReading reading;
        try (ServingStore store = ServingStore.open(ServingSettings.target(settings), pipelineSpec.name(), pipelineSpec.serving().view())) {
            reading = awaitRealtimeScore(store.reader(pipelineSpec), last.card(), last.time());
        }
        System.out.printf("the stream's last event (card %s) scored in real time %.1f s after the replay began%n", last.card(),
                (System.nanoTime() - replayed) / 1e9);
        return new Scored(last, reading.latestScore().orElseThrow());
    }

    /** A replayed event: its card and event time. */
    private record StreamedEvent(String card, long time) {
    }

    /** The stream file's last event: once it is scored, every event before it on its partition was. */
    private static StreamedEvent lastEvent(Path stream) throws IOException {
        StreamedEvent last = null;
        try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(stream.toFile())) {
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                last = new StreamedEvent(row.get("cc_num"), Long.parseLong(row.get("unix_time")) * 1000);
            }
        }
        if (last == null) {
            throw new IllegalStateException("the stream holds no event: " + stream);
        }
        return last;
    }

    /** Polls the card's merged view until its latest score is the speed layer's, for the event at {@code eventTime}. */
    private static EntityReading awaitRealtimeScore(ServingReader reader, String card, long eventTime) throws InterruptedException {
        long deadline = System.nanoTime() + SCORED_WITHIN.toNanos();
        while (true) {
            Optional<EntityReading> reading = reader.read(card, eventTime + 1);
            if (reading.flatMap(EntityReading::latestScore).filter(score -> score.provenance().layer() == Provenance.Layer.REALTIME
                    && score.provenance().eventTime() == eventTime).isPresent()) {
                return reading.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("card " + card + "'s event at " + Instant.ofEpochMilli(eventTime) + " was not scored within "
                        + SCORED_WITHIN + ": see ./platform speed status and its log");
            }
            Thread.sleep(250);
        }
    }

    /** The API's answer to a GET, pretty-printed. */
    private static String apiAnswer(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        ObjectMapper json = new ObjectMapper();
        return response.statusCode() + " " + json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(response.body()));
    }

    private void run(String... args) {
        String[] withHome = new String[args.length + 2];
        withHome[0] = "--home";
        withHome[1] = platform.home.toString();
        System.arraycopy(args, 0, withHome, 2, args.length);
        int exit = PlatformCommand.commandLine().execute(withOverrides(withHome));
        if (exit != 0) {
            throw new IllegalStateException("platform " + String.join(" ", args) + " failed with exit code " + exit);
        }
    }

    private String[] withOverrides(String[] args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        platform.overrides.forEach((key, value) -> {
            all.add(2, "--set");
            all.add(3, key + "=" + value);
        });
        return all.toArray(String[]::new);
    }

    private static void print(StackTour tour, String sql) throws Exception {
        System.out.println("trino> " + sql);
        tour.trinoQuery(sql).forEach(row -> System.out.println("  " + row));
    }

    /** Starts a phase, and ends the one before with its time: one line per phase. */
    private void step(String title) {
        long now = System.nanoTime();
        if (phase != null) {
            System.out.printf("-- %s: %.1f s%n", phase, (now - phaseStarted) / 1e9);
        }
        phase = title.contains(": ") ? title.substring(0, title.indexOf(": ")) : title;
        phaseStarted = now;
        System.out.println();
        System.out.println("== " + title);
    }
}
