package io.tessera.speed.job;

import static io.tessera.speed.job.SpeedFixture.HOUR;
import static io.tessera.speed.job.SpeedFixture.T0;
import static io.tessera.speed.job.SpeedFixture.event;
import static io.tessera.speed.job.SpeedFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.EpochBuckets;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.Score;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.model.Scorer;
import io.tessera.serving.store.EntityReading;
import io.tessera.serving.store.ServingReader;
import io.tessera.serving.store.ServingStore;
import io.tessera.speed.lake.LakeCatalogs;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speed job end to end on the real stack: events replayed into Kafka land in the lake once, are
 * scored with the champion of the batch view, and the realtime view merged with the batch view gives the
 * vector a recomputation from every event gives; bad records and late events land in quarantine and on
 * the dead-letter topic with their reason, and a re-sent event (same id) is counted once; counts reconcile.
 */
@LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG})
class SpeedJobTest {

    @Test
    void eventsLandOnceAreScoredAndMergeWithTheBatchViewExactly(TestStack stack, @TempDir Path dir) throws Exception {
        SpeedFixture fixture = new SpeedFixture(stack, dir);
        ChampionRef champion = fixture.champion(dir, 1);

        // the batch view: cards A and B, before any speed layer ran
        Map<String, List<Event>> batch = Map.of(
                "A", List.of(event("A", T0, 20, "m1"), event("A", T0 + HOUR / 2, 150, "m2"), event("A", T0 + 2 * HOUR, 5, "m1")),
                "B", List.of(event("B", T0 + HOUR, 70, "m3")));
        PublishedView view = fixture.publish(1, 1, ServingCut.NONE, batch, champion);

        // the stream: more of A (one at the batch's own newest time, one inside the tile), C only here, B untouched
        List<Event> stream = List.of(event("A", T0 + 2 * HOUR, 40, "m4"), event("A", T0 + 2 * HOUR + 60_000, 200, "m2"),
                event("C", T0 + 3 * HOUR, 10, "m1"), event("C", T0 + 3 * HOUR + 1, 11, "m1"), event("A", T0 + 3 * HOUR, 1, "m5"),
                event("C", T0 + 5 * HOUR, 12, "m6"));
        List<String> values = new ArrayList<>(stream.stream().map(SpeedFixture::json).toList());
        values.add(2, "{\"card\":\"A\",\"ts\":");                                               // malformed
        values.add(4, "{\"card\":\"C\",\"ts\":" + (T0 + 3 * HOUR) + ",\"amt\":\"lots\",\"merchant\":\"m1\",\"fraud\":0,\"txn\":\"w\"}");   // wrong type
        values.add(json(event("C", T0 + 3 * HOUR, 99, "late")));                               // C's newest is T0+5h: 2h behind, late
        values.add(json(stream.get(1)));                                                         // a producer's re-send: same id
        fixture.produce(values);

        assertThat(fixture.runBounded()).isZero();

        Catalog catalog = LakeCatalogs.rest(stack.icebergCatalogUri()).loadCatalog();
        List<Record> lakeEvents = read(catalog, TableIdentifier.of(fixture.spec.name(), "events"));
        List<Record> quarantine = read(catalog, TableIdentifier.of(fixture.spec.name(), "quarantine"));
        List<Record> scores = read(catalog, TableIdentifier.of(fixture.spec.name(), "scores"));
        assertThat(lakeEvents).hasSize(stream.size());
        assertThat(lakeEvents.stream().map(r -> r.getField("ingest_source")).distinct()).hasSize(stream.size());
        assertThat(quarantine.stream().map(r -> r.getField("reason"))).containsExactlyInAnyOrder("malformed", "bad_value", "late", "duplicate");
        assertThat(lakeEvents.size() + quarantine.size()).as("every record of the topic exactly once").isEqualTo(values.size());
        assertThat(scores).as("every accepted event scored").hasSize(stream.size());
        assertThat(deadLetters(stack, fixture.spec.source().topic() + ".dlq", 4)).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("malformed", "bad_value", "late", "duplicate");

        Table events = catalog.loadTable(TableIdentifier.of(fixture.spec.name(), "events"));
        Snapshot last = events.currentSnapshot();
        assertThat(SnapshotLineage.fromSummary(last.snapshotId(), last.summary())).as("a bounded run commits everything of its generation")
                .hasValue(new SnapshotLineage(1, ServingCut.COMPLETE, new EpochBuckets(SpeedFixture.BUCKET_EPOCHS)));

        Scorer scorer = Scorer.of(ModelFormat.read(Path.of(champion.artifactLocation())));
        try (ServingStore store = fixture.serving()) {
            ServingReader reader = store.reader(fixture.spec);
            Map<String, List<Event>> all = new HashMap<>();
            batch.forEach((key, events1) -> all.computeIfAbsent(key, k -> new ArrayList<>()).addAll(events1));
            stream.forEach(e -> all.computeIfAbsent((String) e.get("card"), k -> new ArrayList<>()).add(e));
            for (String key : List.of("A", "B", "C")) {
                for (long readTime : List.of(T0 + 2 * HOUR, T0 + 2 * HOUR + 60_000, T0 + 3 * HOUR + 1, T0 + 6 * HOUR, T0 + 30 * HOUR)) {
                    EntityReading reading = reader.read(key, readTime).orElseThrow();
                    assertThat(reading.features().values()).as("%s at %d", key, readTime)
                            .containsExactly(fixture.recomputed(all.get(key), readTime, null));
                }
            }
            // the newest speed event of a key carries its score: the champion on the vector as of its own time
            Event newestA = event("A", T0 + 3 * HOUR, 1, "m5");
            List<Event> beforeNewestA = all.get("A");
            double expectedA = scorer.score(java.util.Arrays.stream(fixture.recomputed(beforeNewestA, newestA.time(), newestA))
                    .mapToDouble(Double::doubleValue).toArray());
            Score scoreA = reader.read("A", T0 + 4 * HOUR).orElseThrow().latestScore().orElseThrow();
            assertThat(scoreA.value()).isEqualTo(expectedA);
            assertThat(scoreA.provenance().layer()).isEqualTo(Provenance.Layer.REALTIME);
            assertThat(scoreA.provenance().model()).hasValue(new Provenance.ModelRef(champion.name(), 1, Provenance.Role.CHAMPION));
            assertThat(scoreA.provenance().viewVersion()).isEqualTo(view.viewVersion());
            assertThat(scoreA.provenance().snapshot()).isEqualTo(view.snapshot());
            assertThat(scoreA.provenance().eventTime()).isEqualTo(newestA.time());
        }
    }

    private static List<Record> read(Catalog catalog, TableIdentifier id) throws Exception {
        List<Record> records = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(catalog.loadTable(id)).build()) {
            rows.forEach(records::add);
        }
        return records;
    }

    private static List<ConsumerRecord<String, String>> deadLetters(TestStack stack, String topic, int expected) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
