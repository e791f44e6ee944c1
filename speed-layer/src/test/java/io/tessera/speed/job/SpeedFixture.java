package io.tessera.speed.job;

import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.ControlMessageCodec;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.contract.SnapshotRef;
import io.tessera.featurestore.contract.TrainingProvenance;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventOrder;
import io.tessera.featurestore.lake.LakeTables;
import io.tessera.featurestore.merge.EntityTimeline;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelBody;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.spec.Task;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.serving.store.BatchViewRow;
import io.tessera.serving.store.CassandraOptions;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.ServingStore;
import io.tessera.serving.store.ViewPublication;
import io.tessera.speed.lake.LakeCatalogs;
import io.tessera.stack.junit.TestStack;
import org.apache.flink.core.execution.JobClient;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;

/**
 * Test fixture: a card pipeline of the test's own (named after its keyspace, JSON events on a topic of
 * the same name), a champion model in the portable format, batch views published as the batch layer
 * publishes them (feature-store's {@link EntityTimeline}), events produced to Kafka, and the speed job
 * run in this JVM as {@code platform speed start} runs it.
 */
final class SpeedFixture {

    static final long HOUR = 3_600_000L;
    /** Epochs per bucket of the jobs the fixture runs: small, so that tests of a few seconds merge buckets and round cuts. */
    static final long BUCKET_EPOCHS = 2;
    /** A whole hour, a little in the past: decoding refuses events far in the future. */
    static final long T0 = (System.currentTimeMillis() - 30L * 24 * HOUR) / HOUR * HOUR;

    final TestStack stack;
    final PipelineSpec spec;
    final Path specFile;
    final Path stateDir;
    final FeaturePlan plan;
    final FeatureLayout layout;

    SpeedFixture(TestStack stack, Path dir) throws Exception {
        this.stack = stack;
        String pipeline = stack.keyspace();
        String text = """
                pipeline: %s
                entity: { name: card, key: card }
                source:
                  topic: %s
                  format: json
                  timestamp: { field: ts, format: epoch_millis }
                  fields: { card: string, amt: double, merchant: string, fraud: int, txn: string }
                  max_lateness: 1h
                  id: txn
                features:
                  tile: 1h
                  aggregations:
                    - { name: n, op: count, windows: [1h, 24h] }
                    - { name: total, op: sum, of: amt, windows: [24h] }
                    - { name: avg, op: mean, of: amt, windows: [24h] }
                    - { name: top, op: max, of: amt, windows: [24h] }
                    - { name: merchants, op: approx_distinct, of: merchant, windows: [24h] }
                    - { name: big, op: count, where: "amt > 100.0", windows: [24h] }
                    - { name: latest, op: last, of: amt }
                  event:
                    - { name: amt, of: amt }
                label: { field: fraud }
                model: { task: binary_classification, algorithm: logistic_regression }
                serving: { view: %s }
                """.formatted(pipeline, pipeline, pipeline);
        this.specFile = dir.resolve(pipeline + ".yaml");
        Files.writeString(specFile, text);
        this.spec = PipelineSpecs.load(specFile);
        this.stateDir = dir.resolve("speed");
        this.plan = FeaturePlan.of(spec);
        this.layout = FeatureLayout.of(spec, Map.of());
    }

    /** A key's vector at {@code readTime} recomputed from all its events: what the merged views must give. */
    Double[] recomputed(List<Event> events, long readTime, Event current) {
        EntityTiles tiles = plan.newEntity();
        events.stream().sorted(EventOrder.COMPARATOR).forEach(e -> plan.add(tiles, e, Long.MIN_VALUE));
        double[] vector = layout.assemble(tiles, readTime, current);
        Double[] boxed = new Double[vector.length];
        for (int i = 0; i < vector.length; i++) {
            boxed[i] = vector[i];
        }
        return boxed;
    }

    CassandraTarget cassandra() {
        return CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort());
    }

    ServingStore serving() {
        return ServingStore.open(cassandra(), spec.name(), spec.serving().view());
    }

    static Event event(String card, long time, double amt, String merchant) {
        return new Event(time, Map.of("card", card, "amt", amt, "merchant", merchant, "fraud", 0L));
    }

    static String json(Event event) {
        return "{\"card\":\"%s\",\"ts\":%d,\"amt\":%s,\"merchant\":\"%s\",\"fraud\":0,\"txn\":\"%s\"}".formatted(event.get("card"),
                event.time(), event.get("amt"), event.get("merchant"), txn(event));
    }

    /** The event's id: unique for the events the tests make. */
    static String txn(Event event) {
        return event.get("card") + "@" + event.time() + "/" + event.get("merchant") + "/" + event.get("amt");
    }

    /** A logistic regression over this spec's layout, written as the batch layer exports champions. */
    ChampionRef champion(Path dir, long version) throws Exception {
        double[] coefficients = new double[layout.size()];
        for (int i = 0; i < coefficients.length; i++) {
            coefficients[i] = 0.01 * version * (i + 1) * (i % 2 == 0 ? 1 : -1);
        }
        TrainingProvenance trained = new TrainingProvenance(1, T0, "run", "training_set", spec.fingerprint(), layout.fingerprint());
        ModelArtifact artifact = ModelArtifact.of(spec.name(), version, Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION,
                layout.names(), Map.of(), new ModelBody.Linear(coefficients, -1.0), Map.of("maxIter", 3), Map.of(), trained.toMap());
        Path file = dir.resolve("model-v" + version + ".json");
        ModelFormat.write(artifact, file);
        return new ChampionRef(spec.name(), version, file.toString(), ModelFormat.checksum(artifact));
    }

    /** Publishes a batch view of {@code events} (one row per key, built by the batch layer's own code) with cut {@code cut}. */
    PublishedView publish(long version, long sequence, ServingCut cut, Map<String, List<Event>> byKey, ChampionRef champion) throws Exception {
        return publish(version, new SnapshotRef(1000 + sequence, sequence, T0 + sequence), cut, T0, byKey, champion);
    }

    PublishedView publish(long version, SnapshotRef snapshot, ServingCut cut, long cutoff, Map<String, List<Event>> byKey,
            ChampionRef champion) throws Exception {
        PublishedView view = new PublishedView(spec.name(), version, snapshot, cut, cutoff,
                Optional.of(champion), Optional.empty(), spec.fingerprint(), plan.fingerprint(), layout.fingerprint(), layout.names(),
                Map.of(), byKey.size(), System.currentTimeMillis());
        EntityTimeline timeline = new EntityTimeline(plan, layout);
        List<BatchViewRow> rows = new ArrayList<>();
        byKey.forEach((key, events) -> {
            EntityTimeline.KeyView keyView = timeline.view(events.stream().sorted(EventOrder.COMPARATOR).toList(), T0 + 10 * HOUR);
            rows.add(new BatchViewRow(key, keyView.partials(), keyView.events(), keyView.newestEvent().time(), keyView.newestEventVector(),
                    Optional.of(0.5)));
        });
        try (ServingStore store = serving()) {
            store.migrate();
            ViewPublication publication = store.newPublication(view);
            publication.rowsWritten(publication.rowWriter().write(rows.iterator()));
            publication.commit();
        }
        return view;
    }

    /**
     * Sends the records keyed by their card, as producers must (and {@code platform replay} does): a key's
     * events then stay in one partition, in order. A line without a readable card is sent without a key.
     */
    void produce(List<String> values) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            if (!admin.listTopics().names().get().contains(spec.source().topic())) {
                admin.createTopics(List.of(new NewTopic(spec.source().topic(), 1, (short) 1))).all().get();
            }
        }
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(spec.source().topic(), card(value), value)).get();
            }
        }
    }

    private static String card(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode card = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("card");
            return card == null || !card.isTextual() ? null : card.asText();
        } catch (java.io.IOException | RuntimeException malformed) {
            return null;
        }
    }

    /** Runs the job over what the topic holds now, to its end, as {@code speed-job run --bounded}. */
    int runBounded() {
        return new CommandLine(new RunCommand()).execute(args("--bounded", "--checkpoint-interval", "PT5S"));
    }

    /** Starts the job unbounded in this JVM, checkpointing every second; the client stops it. */
    JobClient start() throws Exception {
        RunCommand command = new RunCommand();
        new CommandLine(command).parseArgs(args("--checkpoint-interval", "PT1S", "--restart-attempts", "0"));
        return command.submit();
    }

    private String[] args(String... more) {
        List<String> args = new ArrayList<>(List.of("--spec", specFile.toString(), "--catalog-uri", stack.icebergCatalogUri(),
                "--kafka", stack.kafkaBootstrap(), "--state-dir", stateDir.toString(), "--rest-port", "0", "--partitions", "1",
                "--bucket-epochs", Long.toString(BUCKET_EPOCHS)));
        args.addAll(CassandraOptions.args(cassandra()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** The speed job in a JVM of its own, as the launcher runs it: this test's classpath and JVM flags. */
    Process launch(Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-opens") || arg.startsWith("--add-exports")).forEach(command::add);
        // the log tells a failing run's story: the job's restarts, its checkpoints and what each lake commit added
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.log.org.apache.flink.runtime.executiongraph=info",
                "-Dorg.slf4j.simpleLogger.log.org.apache.flink.runtime.checkpoint=info", "-Dorg.slf4j.simpleLogger.log.org.apache.iceberg=info"));
        command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), "io.tessera.speed.SpeedJob", "run",
                "--spec", specFile.toString(), "--catalog-uri", stack.icebergCatalogUri(), "--kafka",
                stack.kafkaBootstrap(), "--state-dir", stateDir.toString(), "--rest-port", "0", "--partitions", "2",
                "--checkpoint-interval", "PT1S", "--bucket-epochs", Long.toString(BUCKET_EPOCHS)));
        command.addAll(CassandraOptions.args(cassandra()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Waits until the lake holds as many events as were sent, then checks each is there once and that
     * every key's merged view is the recomputation from the file event and the stream.
     */
    void assertStreamLandedOnceAndMergesExactly(Event fileEvent, List<Event> sent) throws Exception {
        long deadline = System.currentTimeMillis() + 240_000;
        List<Record> rows = List.of();
        while (System.currentTimeMillis() < deadline) {
            Table table;
            try {
                table = events();
            } catch (org.apache.iceberg.exceptions.NoSuchTableException notYet) {
                Thread.sleep(1_000);   // the job creates the lake tables when it starts
                continue;
            }
            rows = new ArrayList<>();
            try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
                read.forEach(rows::add);
            }
            if (rows.size() >= sent.size()) {
                break;
            }
            Thread.sleep(1_000);
        }
        org.assertj.core.api.Assertions.assertThat(rows).as("every event once in the lake; quarantined meanwhile, by reason: %s",
                quarantinedReasons()).hasSize(sent.size());
        org.assertj.core.api.Assertions.assertThat(rows.stream().map(r -> r.getField("ingest_source")).distinct()).hasSize(sent.size());

        Map<String, List<Event>> byKey = new java.util.HashMap<>();
        byKey.put((String) fileEvent.get("card"), new ArrayList<>(List.of(fileEvent)));
        sent.forEach(e -> byKey.computeIfAbsent((String) e.get("card"), k -> new ArrayList<>()).add(e));
        long end = sent.get(sent.size() - 1).time();
        try (ServingStore store = serving()) {
            io.tessera.serving.store.ServingReader reader = store.reader(spec);
            Thread.sleep(3_000);   // the last rows may still be in flight when the lake has committed
            for (String key : byKey.keySet()) {
                for (long readTime : List.of(end - 5 * HOUR, end - HOUR / 3, end + 1)) {
                    org.assertj.core.api.Assertions.assertThat(reader.read(key, readTime).orElseThrow().features().values())
                            .as("%s at %d", key, readTime).containsExactly(recomputed(byKey.get(key), readTime, null));
                }
            }
        }
    }

    /** Waits until a launched job's log says it was submitted (its generation is settled, its tables exist). */
    static void awaitSubmitted(Path log) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (!Files.exists(log) || !Files.readString(log).contains("speed layer of ")) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the speed job did not start within 3 minutes: " + log);
            }
            Thread.sleep(200);
        }
    }

    /** Announces a published view on the pipeline's control stream, as the batch layer does after its switch. */
    void announce(PublishedView view) throws Exception {
        announce(new ControlMessage.ViewPublished(view));
    }

    /** Sends a control message on the pipeline's control stream, keyed as {@code ControlChannel} keys it. */
    void announce(ControlMessage message) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(ControlMessage.topic(spec.name()), message.key(), ControlMessageCodec.toJson(message))).get();
        }
    }

    /** How many records the quarantine holds per reason: where events went when they are not in the lake. */
    private Map<Object, Long> quarantinedReasons() throws java.io.IOException {
        Table quarantine = LakeCatalogs.rest(stack.icebergCatalogUri()).loadCatalog().loadTable(TableIdentifier.of(spec.name(), "quarantine"));
        try (CloseableIterable<Record> read = IcebergGenerics.read(quarantine).build()) {
            return java.util.stream.StreamSupport.stream(read.spliterator(), false)
                    .collect(java.util.stream.Collectors.groupingBy(r -> r.getField("reason"), java.util.stream.Collectors.counting()));
        }
    }

    Table events() {
        return LakeCatalogs.rest(stack.icebergCatalogUri()).loadCatalog().loadTable(TableIdentifier.of(spec.name(), "events"));
    }

    /** Every event of the lake table's snapshot, by key. */
    Map<String, List<Event>> lakeEvents(Table table, long snapshotId) throws Exception {
        return lakeEvents(table, snapshotId, (generation, epoch) -> true);
    }

    /** The events of the lake table's snapshot a view of {@code cut} holds, by key, as the batch layer reads them. */
    Map<String, List<Event>> lakeEvents(Table table, long snapshotId, ServingCut cut) throws Exception {
        return lakeEvents(table, snapshotId, cut::holds);
    }

    private Map<String, List<Event>> lakeEvents(Table table, long snapshotId, java.util.function.BiPredicate<Long, Long> held) throws Exception {
        Map<String, List<Event>> byKey = new java.util.HashMap<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).useSnapshot(snapshotId).build()) {
            for (Record row : rows) {
                if (!held.test((Long) row.getField(LakeTables.SPEED_GENERATION), (Long) row.getField(LakeTables.SPEED_EPOCH))) {
                    continue;
                }
                long time = ((java.time.OffsetDateTime) row.getField("event_time")).toInstant().toEpochMilli();
                Event e = new Event(time, Map.of("card", row.getField("card"), "amt", row.getField("amt"), "merchant", row.getField("merchant"),
                        "fraud", ((Integer) row.getField("fraud")).longValue()));
                byKey.computeIfAbsent((String) row.getField("card"), k -> new ArrayList<>()).add(e);
            }
        }
        return byKey;
    }

    /** How many (generation, epoch) the speed layer tagged the key's events in the lake's current snapshot with. */
    long lakeEpochs(String card) throws Exception {
        Table table = events();
        java.util.Set<List<Long>> epochs = new java.util.HashSet<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).useSnapshot(table.currentSnapshot().snapshotId()).build()) {
            for (Record row : rows) {
                if (card.equals(row.getField("card")) && row.getField(LakeTables.SPEED_EPOCH) != null) {
                    epochs.add(List.of((Long) row.getField(LakeTables.SPEED_GENERATION), (Long) row.getField(LakeTables.SPEED_EPOCH)));
                }
            }
        }
        return epochs.size();
    }

    /** The cut of a snapshot as the batch layer reads it: the lineage of its newest ancestor that has one. */
    static ServingCut cutOf(Table table, long snapshotId) {
        for (org.apache.iceberg.Snapshot snapshot = table.snapshot(snapshotId); snapshot != null;
                snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId())) {
            Optional<SnapshotLineage> lineage = SnapshotLineage.fromSummary(snapshot.snapshotId(), snapshot.summary());
            if (lineage.isPresent()) {
                return lineage.get().cut();
            }
        }
        return ServingCut.NONE;
    }
}
