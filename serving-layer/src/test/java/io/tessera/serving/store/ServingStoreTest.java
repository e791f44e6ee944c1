package io.tessera.serving.store;

import static io.tessera.serving.store.ServingFixtures.HOUR;
import static io.tessera.serving.store.ServingFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.datastax.oss.driver.api.core.CqlSession;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.Score;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotRef;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.merge.BeforeHorizonException;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.serving.schema.ServingSchema;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The serving tables against a real Cassandra node: the merge law through real rows (batch rows of a
 * snapshot, realtime rows on both sides of its cut, written by the writer the speed layer uses), and
 * publication as a forward-only, all-or-nothing update with retention.
 */
@LocalStackTest(ServiceName.CASSANDRA)
class ServingStoreTest {

    @Test
    void mergedVectorsReadFromCassandraEqualRecomputationAtRandomReadTimes(TestStack stack) throws Exception {
        PipelineSpec spec = ServingFixtures.spec(stack.keyspace());
        FeaturePlan plan = FeaturePlan.of(spec);
        FeatureLayout layout = FeatureLayout.of(spec, Map.of());
        Random random = new Random(11);
        List<String> cards = List.of("4111", "4222", "4333", "4444", "4555", "4666");
        // each event: its card, time, and where it is: in S (via file or a speed epoch the cut covers) or in an epoch after the cut
        Map<String, List<Event>> inSnapshot = new LinkedHashMap<>();
        Map<String, Map<Long, List<Event>>> speedEpochs = new HashMap<>();
        Map<String, List<Event>> all = new HashMap<>();
        ServingCut cut = new ServingCut(2, 5);
        for (int i = 0; i < 600; i++) {
            String card = cards.get(random.nextInt(cards.size()));
            if (card.equals("4666") && i % 2 == 0) {
                continue;   // a card with few events
            }
            long time = T0 + random.nextInt(30) * HOUR + random.nextInt(3_600) * 1_000L;
            Event event = ServingFixtures.event(card, time, Math.round(random.nextDouble() * 30_000) / 100.0, "m" + random.nextInt(40));
            int route = random.nextInt(4);   // 0 file ingest, 1 speed epoch <= c (also in S), 2 and 3 speed epochs > c
            if (time >= T0 + 28 * HOUR && route < 2) {
                route = 2;   // the newest hours arrive after S: the realtime side has events of both sides of the tiles' edge
            }
            all.computeIfAbsent(card, k -> new ArrayList<>()).add(event);
            if (route <= 1) {
                inSnapshot.computeIfAbsent(card, k -> new ArrayList<>()).add(event);
            }
            if (route >= 1) {
                long epoch = route == 1 ? 1 + random.nextInt(5) : 6 + random.nextInt(4);
                speedEpochs.computeIfAbsent(card, k -> new HashMap<>()).computeIfAbsent(epoch, k -> new ArrayList<>()).add(event);
            }
        }
        // card 4777 only in realtime; 4888 only in an older generation, all covered
        Event onlyRealtime = ServingFixtures.event("4777", T0 + 29 * HOUR, 12.5, "m1");
        all.put("4777", List.of(onlyRealtime));
        speedEpochs.put("4777", Map.of(7L, List.of(onlyRealtime)));
        Event coveredOlderGeneration = ServingFixtures.event("4888", T0 + 20 * HOUR, 99.0, "m2");
        inSnapshot.put("4888", List.of(coveredOlderGeneration));
        all.put("4888", List.of(coveredOlderGeneration));

        try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), stack.keyspace(),
                spec.serving().view())) {
            store.migrate();
            long cutoff = T0 + 20 * HOUR;   // events of S after T must still be in the view
            List<BatchViewRow> rows = ServingFixtures.rows(spec, inSnapshot, cutoff, 0.25);
            PublishedView view = ServingFixtures.view(spec, 1, 10, cutoff, cut, rows.size());
            ViewPublication publication = store.newPublication(view);
            publication.rowsWritten(publication.rowWriter().write(rows.iterator()));
            assertThat(publication.commit().outcome()).isEqualTo(ViewPublication.Outcome.SWITCHED);

            RealtimeViewWriter writer = store.realtimeWriter();
            speedEpochs.forEach((card, epochs) -> epochs.forEach((epoch, events) -> {
                EntityTiles tiles = plan.newEntity();
                events.forEach(e -> plan.add(tiles, e, Long.MIN_VALUE));
                writer.write(new RealtimeRow(card, cut.generation(), epoch, EntityTilesCodec.encode(plan, tiles)), Instant.now());
            }));
            EntityTiles stale = plan.newEntity();
            plan.add(stale, coveredOlderGeneration, Long.MIN_VALUE);
            writer.write(new RealtimeRow("4888", 1, 40, EntityTilesCodec.encode(plan, stale)), Instant.now());

            ServingReader reader = store.reader(spec);
            ServingReader cached = store.reader(spec, 1 << 20);   // the query API's: batch rows decoded once per key
            int checked = 0;
            for (String card : all.keySet()) {
                EntityTiles everything = plan.newEntity();
                all.get(card).stream().sorted(Comparator.comparingLong(Event::time)).forEach(e -> plan.add(everything, e, Long.MIN_VALUE));
                long newest = all.get(card).stream().mapToLong(Event::time).max().orElseThrow();
                for (long readTime : new long[] {newest, newest + 1, newest + HOUR, T0 + 29 * HOUR + random.nextInt(3_600_000),
                        T0 + 31 * HOUR, T0 + random.nextInt(32) * HOUR}) {
                    double[] expected = layout.assemble(everything, readTime, null);
                    EntityReading reading;
                    try {
                        reading = reader.read(card, readTime).orElseThrow();
                    } catch (BeforeHorizonException e) {
                        assertThat(readTime).as("only reads before the key's horizon are refused").isLessThan(e.horizon());
                        assertThatThrownBy(() -> cached.read(card, readTime)).isInstanceOf(BeforeHorizonException.class);
                        continue;
                    }
                    assertThat(cached.read(card, readTime).orElseThrow()).as("%s at %s through the cache", card, Instant.ofEpochMilli(readTime))
                            .isEqualTo(reading);
                    List<Double> got = new ArrayList<>(reading.features().values());
                    for (int i = 0; i < expected.length; i++) {
                        assertThat(got.get(i)).as("%s at %s: %s", card, Instant.ofEpochMilli(readTime), layout.names().get(i))
                                .isEqualTo(Double.valueOf(expected[i]));
                    }
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(30);
            EntityReading onlyRealtimeReading = reader.read("4777", T0 + 30 * HOUR).orElseThrow();
            assertThat(onlyRealtimeReading.inBatchView()).isFalse();
            assertThat(onlyRealtimeReading.features().get("n_24h")).isEqualTo(1.0);
            EntityReading covered = reader.read("4888", T0 + 30 * HOUR).orElseThrow();
            assertThat(covered.realtimeRows()).as("an older generation's row is covered").isZero();
            assertThat(covered.features().get("n_24h")).isEqualTo(1.0);
            assertThat(reader.read("9999", T0 + 30 * HOUR).orElseThrow().unknown()).isTrue();

            // dropping what the cut covers changes no answer, and leaves only the rows after the cut
            Map<String, Double> before = reader.read("4111", T0 + 31 * HOUR).orElseThrow().features();
            writer.dropCovered(List.of("4111", "4888"), cut);
            assertThat(reader.read("4111", T0 + 31 * HOUR).orElseThrow().features()).isEqualTo(before);
            try (CqlSession session = CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()).open()) {
                List<Long> epochs = session.execute("SELECT epoch FROM " + stack.keyspace() + ".realtime_view WHERE entity = '4111'").all()
                        .stream().map(r -> r.getLong(0)).toList();
                assertThat(epochs).isNotEmpty().allSatisfy(epoch -> assertThat(epoch).isGreaterThan(cut.checkpoint()));
                assertThat(session.execute("SELECT epoch FROM " + stack.keyspace() + ".realtime_view WHERE entity = '4888'").all()
                        .stream().filter(r -> !r.isNull(0)).toList()).isEmpty();
            }
            // a publication drops for every key a speed task holds, far more than a connection takes at once
            writer.dropCovered(java.util.stream.IntStream.range(0, 5_000).mapToObj(i -> "bulk-" + i).toList(), cut);
        }
    }

    @Test
    void theLatestScoreIsTheNewestOfTheBatchAndTheRealtimeOneWithItsProvenance(TestStack stack) throws Exception {
        PipelineSpec spec = ServingFixtures.spec(stack.keyspace());
        FeaturePlan plan = FeaturePlan.of(spec);
        try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), stack.keyspace(),
                spec.serving().view())) {
            store.migrate();
            Event old = ServingFixtures.event("4111", T0, 10.0, "m1");
            List<BatchViewRow> rows = ServingFixtures.rows(spec, Map.of("4111", List.of(old)), T0 + HOUR, 0.125);
            PublishedView view = ServingFixtures.view(spec, 1, 10, T0 + HOUR, ServingCut.NONE, 1);
            ViewPublication publication = store.newPublication(view);
            publication.rowsWritten(publication.rowWriter().write(rows.iterator()));
            publication.commit();
            ServingReader reader = store.reader(spec);

            Score batchScore = reader.read("4111", T0 + 2 * HOUR).orElseThrow().latestScore().orElseThrow();
            assertThat(batchScore.value()).isEqualTo(0.125);
            assertThat(batchScore.provenance().layer()).isEqualTo(Provenance.Layer.BATCH);
            assertThat(batchScore.provenance().eventTime()).isEqualTo(T0);
            assertThat(batchScore.provenance().snapshot()).isEqualTo(view.snapshot());

            EntityTiles tiles = plan.newEntity();
            plan.add(tiles, ServingFixtures.event("4111", T0 + HOUR, 20.0, "m2"), Long.MIN_VALUE);
            Score speed = new Score(0.875, new Provenance(Optional.of(new Provenance.ModelRef(spec.name(), 1, Provenance.Role.CHAMPION)), 1,
                    new SnapshotRef(1010, 10, T0 + 10), T0 + HOUR, Provenance.Layer.REALTIME));
            store.realtimeWriter().write(new RealtimeRow("4111", 1, 1, EntityTilesCodec.encode(plan, tiles)), speed, Instant.now());

            EntityReading reading = reader.read("4111", T0 + 2 * HOUR).orElseThrow();
            assertThat(reading.latestScore()).contains(speed);
            assertThat(reading.features().get("n_24h")).isEqualTo(2.0);
            assertThat(reading.newestEventTime()).hasValue(T0 + HOUR);
        }
    }

    @Test
    void aCachedBatchRowServesItsViewVersionOnlyAndRealtimeRowsAreReadEveryTime(TestStack stack) throws Exception {
        PipelineSpec spec = ServingFixtures.spec(stack.keyspace());
        FeaturePlan plan = FeaturePlan.of(spec);
        try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), stack.keyspace(),
                spec.serving().view())) {
            store.migrate();
            Event first = ServingFixtures.event("4111", T0, 10.0, "m1");
            Event second = ServingFixtures.event("4111", T0 + HOUR / 2, 20.0, "m2");
            publish(store, ServingFixtures.view(spec, 1, 10, T0 + HOUR, ServingCut.NONE, 1),
                    ServingFixtures.rows(spec, Map.of("4111", List.of(first)), T0 + HOUR, 0.125));
            ServingReader reader = store.reader(spec, 1 << 20);
            assertThat(reader.read("4111", T0 + 2 * HOUR).orElseThrow().features().get("n_24h")).isEqualTo(1.0);
            assertThat(reader.read("4222", T0 + 2 * HOUR).orElseThrow().unknown()).isTrue();

            EntityTiles tiles = plan.newEntity();
            plan.add(tiles, ServingFixtures.event("4222", T0 + HOUR, 5.0, "m3"), Long.MIN_VALUE);
            store.realtimeWriter().write(new RealtimeRow("4222", 1, 1, EntityTilesCodec.encode(plan, tiles)), Instant.now());
            EntityReading realtimeOnly = reader.read("4222", T0 + 2 * HOUR).orElseThrow();
            assertThat(realtimeOnly.inBatchView()).as("absent from the batch view: cached as absent").isFalse();
            assertThat(realtimeOnly.features().get("n_24h")).as("a realtime row written after a read of the key").isEqualTo(1.0);

            publish(store, ServingFixtures.view(spec, 2, 20, T0 + HOUR, ServingCut.NONE, 1),
                    ServingFixtures.rows(spec, Map.of("4111", List.of(first, second)), T0 + HOUR, 0.5));
            Thread.sleep(1_100);   // the reader sees a switch within a second
            EntityReading switched = reader.read("4111", T0 + 2 * HOUR).orElseThrow();
            assertThat(switched.view().version()).isEqualTo(2);
            assertThat(switched.features().get("n_24h")).as("the row of the new version, not the cached one of v1").isEqualTo(2.0);
            assertThat(switched.latestScore().orElseThrow().value()).isEqualTo(0.5);
        }
    }

    @Test
    void aMergedBucketReplacesItsRowsInTheStatementOfTheEventThatMergedThem(TestStack stack) throws Exception {
        PipelineSpec spec = ServingFixtures.spec(stack.keyspace());
        FeaturePlan plan = FeaturePlan.of(spec);
        try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), stack.keyspace(),
                spec.serving().view())) {
            store.migrate();
            RealtimeViewWriter writer = store.realtimeWriter();
            EntityTiles bucket = plan.newEntity();
            for (int epoch = 1; epoch <= 3; epoch++) {
                EntityTiles tiles = plan.newEntity();
                Event event = ServingFixtures.event("4333", T0 + epoch * HOUR / 10, epoch, "m" + epoch);
                plan.add(tiles, event, Long.MIN_VALUE);
                plan.add(bucket, event, Long.MIN_VALUE);
                writer.write(new RealtimeRow("4333", 1, epoch, EntityTilesCodec.encode(plan, tiles)), Instant.now());
            }
            writer.write(new RealtimeRow("4333", 2, 1, EntityTilesCodec.encode(plan, plan.newEntity())), Instant.now());   // another generation's
            EntityTiles newest = plan.newEntity();
            plan.add(newest, ServingFixtures.event("4333", T0 + HOUR, 4.0, "m4"), Long.MIN_VALUE);

            byte[] merged = EntityTilesCodec.encode(plan, bucket);
            writer.writeAsync(new RealtimeRow("4333", 1, 5, EntityTilesCodec.encode(plan, newest)), null, Instant.now(),
                    List.of(new MergedBucket(new RealtimeRow("4333", 1, 3, merged), 1))).toCompletableFuture().join();

            List<RealtimeRow> rows = store.reader(spec).realtime("4333", ServingCut.NONE).rows();
            assertThat(rows).extracting(RealtimeRow::generation, RealtimeRow::epoch).containsExactly(tuple(1L, 3L), tuple(1L, 5L), tuple(2L, 1L));
            assertThat(rows.get(0).partials()).as("the bucket's merge in place of its three rows").isEqualTo(merged);
            assertThatThrownBy(() -> writer.writeAsync(new RealtimeRow("4333", 1, 6, merged), null, Instant.now(),
                    List.of(new MergedBucket(new RealtimeRow("4444", 1, 3, merged), 1)))).hasMessageContaining("one statement holds one partition");
        }
    }

    @Test
    void publicationIsForwardOnlyAllOrNothingAndRetiresWhatRetentionDoesNotKeep(TestStack stack) throws Exception {
        PipelineSpec spec = ServingFixtures.spec(stack.keyspace());
        CassandraTarget target = CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()).withRetainedViews(2);
        try (ServingStore store = ServingStore.open(target, stack.keyspace(), spec.serving().view())) {
            store.migrate();
            Map<String, List<Event>> events = Map.of("4111", List.of(ServingFixtures.event("4111", T0, 10.0, "m1")),
                    "4222", List.of(ServingFixtures.event("4222", T0, 20.0, "m2")));
            List<BatchViewRow> rows = ServingFixtures.rows(spec, events, T0 + HOUR, 0.5);

            publish(store, ServingFixtures.view(spec, 1, 10, T0 + HOUR, ServingCut.NONE, 2), rows);
            publish(store, ServingFixtures.view(spec, 2, 20, T0 + HOUR, ServingCut.NONE, 2), rows);
            assertThat(store.current().orElseThrow().version()).isEqualTo(2);

            // a re-run of an older snapshot: written, refused, the newer view keeps serving
            PublishedView older = ServingFixtures.view(spec, 3, 15, T0 + 2 * HOUR, ServingCut.NONE, 2);
            ViewPublication stale = store.newPublication(older);
            stale.rowsWritten(stale.rowWriter().write(rows.iterator()));
            assertThatThrownBy(stale::apply).isInstanceOf(StaleViewException.class).hasMessageContaining("not newer than the serving view v2");
            assertThatThrownBy(stale::commit).isInstanceOf(StaleViewException.class);
            assertThat(store.current().orElseThrow().version()).isEqualTo(2);

            // a view whose rows are not all written is never switched to
            ViewPublication incomplete = store.newPublication(ServingFixtures.view(spec, 4, 30, T0 + HOUR, ServingCut.NONE, 2));
            incomplete.rowsWritten(incomplete.rowWriter().write(rows.subList(0, 1).iterator()));
            assertThatThrownBy(incomplete::commit).isInstanceOf(IncompleteViewException.class).hasMessageContaining("holds 2 keys but 1 rows");
            assertThat(store.current().orElseThrow().version()).isEqualTo(2);

            // committing the serving version again is a no-op; a newer one switches and retires
            assertThat(store.resume(ServingFixtures.view(spec, 2, 20, T0 + HOUR, ServingCut.NONE, 2)).commit().outcome())
                    .isEqualTo(ViewPublication.Outcome.ALREADY_SERVING);
            ViewPublication.Committed fifth = publish(store, ServingFixtures.view(spec, 5, 40, T0 + HOUR, ServingCut.NONE, 2), rows);

            assertThat(fifth.outcome()).isEqualTo(ViewPublication.Outcome.SWITCHED);
            assertThat(fifth.retired()).containsExactlyInAnyOrder(4L, 3L, 1L);   // failed, superseded, and beyond the 2 kept
            try (CqlSession session = target.open()) {
                for (long version : new long[] {1, 3, 4}) {
                    assertThat(session.execute("SELECT count(*) FROM " + stack.keyspace() + ".batch_view WHERE view_version = " + version
                            + " ALLOW FILTERING").one().getLong(0)).as("rows of v%d", version).isZero();
                }
                assertThat(session.execute("SELECT count(*) FROM " + stack.keyspace() + ".batch_view WHERE view_version = 2 ALLOW FILTERING")
                        .one().getLong(0)).as("v2 is kept for rollback").isEqualTo(2);
            }
            assertThatThrownBy(() -> store.resume(older)).isInstanceOf(IncompleteViewException.class).hasMessageContaining("been retired");
        }
    }

    @Test
    void migrationsAreIdempotentAndReplaceTheLayoutOfBeforeMigrations(TestStack stack) throws Exception {
        CassandraTarget target = CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort());
        String keyspace = stack.keyspace();
        try (CqlSession session = target.open()) {
            session.execute("CREATE KEYSPACE " + keyspace + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE " + keyspace + ".views (name text PRIMARY KEY, view_version bigint, flink_checkpoint bigint)");
            session.execute("CREATE TABLE " + keyspace + ".batch_view (entity text, view_version bigint, features list<double>,"
                    + " PRIMARY KEY ((entity), view_version))");
            assertThatThrownBy(() -> ServingSchema.check(session, keyspace)).hasMessageContaining("has no serving tables");

            assertThat(ServingSchema.migrate(session, target, keyspace)).hasSize(ServingSchema.MIGRATIONS.size());
            assertThat(ServingSchema.migrate(session, target, keyspace)).isEmpty();
            ServingSchema.check(session, keyspace);
            assertThat(session.execute("SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = 'batch_view'",
                    keyspace).all().stream().map(r -> r.getString(0)).toList()).contains("bucket", "partials").doesNotContain("features");

            session.execute("INSERT INTO " + keyspace + ".schema_migrations (version, description, checksum) VALUES (99, 'future', 'x')");
            assertThatThrownBy(() -> ServingSchema.check(session, keyspace)).hasMessageContaining("newer than this build knows");
        }
    }

    private static ViewPublication.Committed publish(ServingStore store, PublishedView view, List<BatchViewRow> rows) throws Exception {
        ViewPublication publication = store.newPublication(view);
        publication.rowsWritten(publication.rowWriter().write(rows.iterator()));
        return publication.commit();
    }
}
