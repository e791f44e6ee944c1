package io.tessera.jobs.cli;

import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.jobs.demo.StackTour;
import io.tessera.serving.store.EntityReading;
import io.tessera.serving.store.ServingStore;
import io.tessera.jobs.generate.CardTransactionGenerator;
import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
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

    @ParentCommand
    PlatformCommand platform;

    @Option(names = "--events", defaultValue = "100000", description = "Generated transactions after the real sample (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--example", defaultValue = "examples/card_fraud", description = "Example folder with pipeline.yaml and transactions.csv.")
    Path example;

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

        step("6. serving: a card's merged view by key, as an application reads it (batch partials + realtime partials)");
        String card = lastFraudCard(generated);
        PipelineSpec pipelineSpec = PipelineSpecs.load(Path.of(spec));
        try (ServingStore store = ServingStore.open(ServingSettings.target(settings), pipeline, pipelineSpec.serving().view())) {
            EntityReading reading = store.reader(pipelineSpec).read(card, GENERATED_CUTOFF.toEpochMilli())
                    .orElseThrow(() -> new IllegalStateException("no batch view of " + pipeline + " is published"));
            System.out.println(describe(reading));
        }

        step("7. analysts: the same numbers through Trino (catalogs lake and serving; views by platform serving migrate)");
        run("serving", "migrate", "--spec", spec);
        print(tour, "SELECT entity, round(score, 4) AS score, model, model_version, role, layer, event_time, view_version, snapshot_id"
                + " FROM lake." + pipeline + ".current WHERE entity = '" + card + "'");
        print(tour, "SELECT version, status, round(element_at(metrics, 'logloss'), 5) AS logloss, round(element_at(metrics, 'auc'), 4) AS auc, gate_reason"
                + " FROM lake." + pipeline + ".models ORDER BY version");
        print(tour, "SELECT view_version, state, snapshot_id, cutoff, champion_version, entities FROM lake." + pipeline + ".publications"
                + " ORDER BY view_version");
        print(tour, "SELECT count(*) AS events, count(DISTINCT cc_num) AS cards, sum(is_fraud) AS frauds FROM lake." + pipeline + ".events");

        step("8. speed layer JVM (Flink) reads the same master dataset and must count what Trino counts");
        String rows = tour.trinoQuery("SELECT count(*) FROM lake." + pipeline + ".events").get(0);
        int flink = new LayerLauncher(settings).run(Layer.SPEED, List.of("smoke-read",
                "--catalog-uri", settings.icebergCatalogUri(), "--table", pipeline + ".events", "--expect-rows", rows));
        if (flink != 0) {
            throw new IllegalStateException("the Flink read of lake." + pipeline + ".events failed (exit " + flink + ")");
        }

        step("9. the control stream to the speed layer (" + pipeline + ".control)");
        tour.lastMessage(pipeline + ".control").ifPresent(System.out::println);

        step("done");
        System.out.println("reports:  " + settings.warehouse().resolve(pipeline).resolve("models") + "/v<N>/report.html");
        System.out.println("SQL:      ./platform sql (the Trino CLI), or " + settings.trinoJdbcUrl() + " (catalogs lake, serving)");
        System.out.println("API:      ./platform serve --spec " + spec + "  then  curl http://127.0.0.1:"
                + settings.port("serving.port") + "/v1/pipelines/" + pipeline + "/entities/" + card);
        System.out.println("stop:     ./platform stack down");
        return 0;
    }

    /** The card of the generated data's last fraud: the demo reads a key a fraud model should rank high. */
    private static String lastFraudCard(Path generated) throws IOException {
        String card = null;
        try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(generated.toFile())) {
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                if ("1".equals(row.get("is_fraud"))) {
                    card = row.get("cc_num");
                }
            }
        }
        if (card == null) {
            throw new IllegalStateException("the generated data holds no fraud: " + generated);
        }
        return card;
    }

    private static String describe(EntityReading reading) {
        StringBuilder text = new StringBuilder("card " + reading.entity() + " as of " + Instant.ofEpochMilli(reading.readTime()) + ":\n");
        text.append("  score    ").append(reading.latestScore().map(score -> String.format("%.4f by %s, %s layer, for its event at %s",
                score.value(), score.provenance().model().orElseThrow(), score.provenance().layer().name().toLowerCase(),
                Instant.ofEpochMilli(score.provenance().eventTime()))).orElse("none (no champion scored this view)")).append('\n');
        text.append(String.format("  view     v%d of lake snapshot %d (cut: %s), cutoff %s; in the batch view: %s, realtime rows: %d%n",
                reading.view().version(), reading.view().view().snapshot().id(), reading.view().view().cut(),
                Instant.ofEpochMilli(reading.view().view().cutoff()), reading.inBatchView() ? "yes" : "no", reading.realtimeRows()));
        reading.features().entrySet().stream().filter(e -> !Double.isNaN(e.getValue())).limit(8)
                .forEach(e -> text.append(String.format("  %-22s %s%n", e.getKey(), e.getValue())));
        return text.toString();
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

    private static void step(String title) {
        System.out.println();
        System.out.println("== " + title);
    }
}
