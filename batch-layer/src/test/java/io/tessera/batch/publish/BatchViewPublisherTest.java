package io.tessera.batch.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.features.BatchFeatures;
import io.tessera.batch.ingest.FileIngest;
import io.tessera.batch.lake.LakeSnapshot;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.ControlMessageCodec;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.contract.SnapshotRef;
import io.tessera.featurestore.event.DecodeResult;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventDecoder;
import io.tessera.featurestore.event.RecordParser;
import io.tessera.featurestore.merge.BeforeHorizonException;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.SourceFormat;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.EntityReading;
import io.tessera.serving.store.RealtimeRow;
import io.tessera.serving.store.RealtimeViewWriter;
import io.tessera.serving.store.ServingReader;
import io.tessera.serving.store.ServingStore;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publication against real Iceberg, Cassandra and Kafka: the view Spark computes from a lake snapshot,
 * merged with realtime rows on both sides of the snapshot's cut, equals the recomputation from every
 * event; and a failure leaves the previous view serving.
 */
@LocalStackTest({ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA, ServiceName.KAFKA})
class BatchViewPublisherTest {

    private static final long HOUR = 3_600_000L;
    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }

    @Test
    void theViewOfEveryEventOfTheSnapshotMergedWithRealtimeRowsEqualsRecomputation(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.namespace();
        SpecText specText = BatchTestData.cardFraudSpec(pipeline);
        PipelineSpec spec = specText.spec();
        List<String> lines = Files.readAllLines(BatchTestData.exampleDir().resolve("transactions.csv"));
        List<String> header = RecordParser.csvHeader(lines.get(0));
        List<String> inLake = lines.subList(1, 3001);
        List<String> afterSnapshot = new ArrayList<>(lines.subList(3001, lines.size()));
        // late events: as early as the lake's, but reaching the lake after S (new ids, other amounts)
        for (int i = 0; i < 300; i += 7) {
            afterSnapshot.add(inLake.get(i).replaceFirst("^\\d+,", "9" + i + ","));
        }
        Path file = dir.resolve("in-lake.csv");
        Files.write(file, List.of(lines.get(0)));
        Files.write(file, inLake, java.nio.file.StandardOpenOption.APPEND);
        new FileIngest(spark, specText).ingest(file);
        // the speed layer (generation 1) committed checkpoints up to 3 before S; a file ingest made S
        PipelineTables tables = new PipelineTables(spark, spec);
        LakeSnapshot.load(spark, tables.events()).newAppend().set(SnapshotLineage.GENERATION, "1").set(SnapshotLineage.CHECKPOINT, "3").commit();
        LakeSnapshot snapshot = LakeSnapshot.current(spark, tables.events());
        assertThat(snapshot.cut()).isEqualTo(new ServingCut(1, 3));

        Map<String, List<Event>> lakeEvents = decode(spec, header, inLake);
        Map<String, List<Event>> laterEvents = decode(spec, header, afterSnapshot);
        long first = lakeEvents.values().stream().flatMap(List::stream).mapToLong(Event::time).min().orElseThrow();
        long cutoff = first + 9 * HOUR;   // many of S's events are after T: the view must hold them all

        BatchFeatures features = new BatchFeatures(spark, specText);
        Dataset<Row> events = features.events(tables.events(), snapshot.ref().id());
        Map<String, List<String>> vocabularies = features.learnVocabularies(BatchFeatures.before(events, cutoff));
        FeatureLayout layout = FeatureLayout.of(spec, vocabularies);
        Dataset<Row> view = features.view(events, vocabularies, cutoff, null).cache();
        try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), pipeline,
                spec.serving().view())) {
            BatchViewPublisher publisher = new BatchViewPublisher(spark, tables, store, new ControlChannel(stack.kafkaBootstrap(), pipeline));
            publisher.ensure();
            PublishedView published = new PublishedView(pipeline, publisher.nextViewVersion(), snapshot.ref(), snapshot.cut(), cutoff,
                    Optional.empty(), Optional.empty(), spec.fingerprint(), FeaturePlan.of(spec).fingerprint(), layout.fingerprint(), layout.names(), vocabularies,
                    view.count(), System.currentTimeMillis());
            assertThat(publisher.publish(view, published).status()).isEqualTo(PublishOutcome.Status.SWITCHED);

            // realtime rows: epochs 1-3 hold some of S's events (covered), epochs 4-6 the events after S
            FeaturePlan plan = FeaturePlan.of(spec);
            RealtimeViewWriter writer = store.realtimeWriter();
            writeRows(writer, plan, lakeEvents, 1, true);
            writeRows(writer, plan, laterEvents, 4, false);

            Map<String, List<Event>> all = new HashMap<>();
            lakeEvents.forEach((card, list) -> all.computeIfAbsent(card, k -> new ArrayList<>()).addAll(list));
            laterEvents.forEach((card, list) -> all.computeIfAbsent(card, k -> new ArrayList<>()).addAll(list));
            ServingReader reader = store.reader(spec);
            int checked = 0;
            int mixed = 0;
            for (String card : all.keySet().stream().sorted().limit(120).toList()) {
                EntityTiles everything = plan.newEntity();
                all.get(card).stream().sorted(Comparator.comparingLong(Event::time)).forEach(e -> plan.add(everything, e, Long.MIN_VALUE));
                long newest = all.get(card).stream().mapToLong(Event::time).max().orElseThrow();
                for (long readTime : new long[] {newest, newest + 1, newest + 3 * HOUR, cutoff + 20 * HOUR}) {
                    EntityReading reading;
                    try {
                        reading = reader.read(card, readTime).orElseThrow();
                    } catch (BeforeHorizonException e) {
                        assertThat(readTime).isLessThan(e.horizon());
                        continue;
                    }
                    double[] expected = layout.assemble(everything, readTime, null);
                    List<Double> got = new ArrayList<>(reading.features().values());
                    for (int i = 0; i < expected.length; i++) {
                        assertThat(got.get(i)).as("%s at %s: %s", card, Instant.ofEpochMilli(readTime), layout.names().get(i))
                                .isEqualTo(Double.valueOf(expected[i]));
                    }
                    checked++;
                    mixed += reading.inBatchView() && reading.realtimeRows() > 0 ? 1 : 0;
                }
            }
            assertThat(checked).isGreaterThan(300);
            assertThat(mixed).as("reads that merged both halves").isGreaterThan(100);
        }
    }

    @Test
    void aFailureDuringPublicationLeavesThePreviousViewServing(TestStack stack) throws Exception {
        String pipeline = stack.namespace();
        SpecText specText = BatchTestData.cardFraudSpec(pipeline);
        PipelineTables tables = new PipelineTables(spark, specText.spec());
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + tables.namespace());
        ControlChannel control = new ControlChannel(stack.kafkaBootstrap(), pipeline);
        try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), pipeline,
                specText.spec().serving().view())) {
            BatchViewPublisher publisher = new BatchViewPublisher(spark, tables, store, control);
            publisher.ensure();

            long v1 = publisher.nextViewVersion();
            assertThat(publisher.publish(view(row("4111", 0.25), row("4222", 0.75)), published(specText, v1, 1, 2)).status())
                    .isEqualTo(PublishOutcome.Status.SWITCHED);
            assertThat(store.current().orElseThrow().version()).isEqualTo(v1);

            long v2 = publisher.nextViewVersion();
            // the second view breaks mid-publication: the lake takes it, Cassandra refuses a key over 64 KiB
            String oversizedKey = "9".repeat(70_000);
            assertThatThrownBy(() -> publisher.publish(view(row("4222", 0.10), row(oversizedKey, 0.5)), published(specText, v2, 2, 2)))
                    .hasStackTraceContaining("Key length of 70000");

            assertThat(v2).isEqualTo(v1 + 1);
            assertThat(store.current().orElseThrow().version()).isEqualTo(v1);
            assertThat(store.reader(specText.spec()).batchRow(store.current().orElseThrow(), "4222").orElseThrow().score()).contains(0.75);
            assertThat(publisher.find(specText.spec().fingerprint(), 2, 1_000L, Optional.empty())).isEmpty();
            assertThat(publisher.find(specText.spec().fingerprint(), 1, 1_000L, Optional.empty())).isPresent();
            assertThat(controlMessages(stack, control.topic())).hasSize(1).allSatisfy(m ->
                    assertThat(((ControlMessage.ViewPublished) ControlMessageCodec.parse(m)).view().viewVersion()).isEqualTo(v1));
            assertThat(publisher.nextViewVersion()).isGreaterThan(v2);
        }
    }

    private static void writeRows(RealtimeViewWriter writer, FeaturePlan plan, Map<String, List<Event>> byCard, long firstEpoch,
            boolean onlySome) {
        byCard.forEach((card, events) -> {
            Map<Long, EntityTiles> epochs = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                if (onlySome && i % 2 == 1) {
                    continue;
                }
                EntityTiles tiles = epochs.computeIfAbsent(firstEpoch + i % 3, k -> plan.newEntity());
                plan.add(tiles, events.get(i), Long.MIN_VALUE);
            }
            epochs.forEach((epoch, tiles) -> writer.write(new RealtimeRow(card, 1, epoch, EntityTilesCodec.encode(plan, tiles)), Instant.now()));
        });
    }

    private static Map<String, List<Event>> decode(PipelineSpec spec, List<String> header, List<String> lines) {
        RecordParser parser = new RecordParser(SourceFormat.CSV, header);
        EventDecoder decoder = EventDecoder.of(spec);
        Map<String, List<Event>> byCard = new HashMap<>();
        for (String line : lines) {
            Event event = ((DecodeResult.Accepted) decoder.decode(parser.parse(line))).event();
            byCard.computeIfAbsent(event.text(spec.entity().key()), k -> new ArrayList<>()).add(event);
        }
        return byCard;
    }

    private static List<String> controlMessages(TestStack stack, String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> messages = new ArrayList<>();
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> messages.add(record.value()));
            }
            return messages;
        }
    }

    private static PublishedView published(SpecText specText, long version, long snapshot, long entities) {
        PipelineSpec spec = specText.spec();
        return new PublishedView(spec.name(), version, new SnapshotRef(snapshot, snapshot, 900L), ServingCut.NONE, 1_000L, Optional.empty(),
                Optional.empty(), spec.fingerprint(), FeaturePlan.of(spec).fingerprint(), io.tessera.featurestore.spec.Fingerprint.of("f0,f1"), List.of("f0", "f1"), Map.of(), entities,
                System.currentTimeMillis());
    }

    private static Row row(String entity, double score) {
        return RowFactory.create(entity, new byte[] {1}, 3L, new Timestamp(1_000L), new Double[] {1.0, 2.0}, new Double[] {1.0, 2.0}, score);
    }

    private static Dataset<Row> view(Row... rows) {
        return spark.createDataFrame(List.of(rows), BatchFeatures.VIEW_SCHEMA);
    }
}
