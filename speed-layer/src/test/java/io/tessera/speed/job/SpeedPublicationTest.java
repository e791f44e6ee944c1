package io.tessera.speed.job;

import static io.tessera.speed.job.SpeedFixture.HOUR;
import static io.tessera.speed.job.SpeedFixture.T0;
import static io.tessera.speed.job.SpeedFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.Score;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotRef;
import io.tessera.featurestore.event.Event;
import io.tessera.serving.store.ServingReader;
import io.tessera.serving.store.ServingStore;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running speed layer and the batch layer's publications: a view published from a lake snapshot S
 * moves the cut (the partials S covers leave the job's state and Cassandra) and its champion scores the
 * next events without a restart; a late event (before the cutoff, reaching the lake after S) counts once
 * in the merged vector before and after the next publication. A busy key's rows of buckets of epochs that
 * are over are merged ({@link SpeedFixture#BUCKET_EPOCHS} per bucket), and a view's cut, rounded down to
 * a bucket's end, leaves the snapshot's events above it to the realtime rows.
 */
@LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG})
class SpeedPublicationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void publicationsMoveTheCutAndTheChampionWhileRunningAndALateEventCountsOnce(TestStack stack, @TempDir Path dir) throws Exception {
        SpeedFixture fixture = new SpeedFixture(stack, dir);
        ChampionRef first = fixture.champion(dir, 1);
        ChampionRef second = fixture.champion(dir, 2);
        Event fileEvent = event("A", T0, 10, "m1");   // as if ingested from a file before the speed layer ran
        fixture.publish(1, 1, ServingCut.NONE, Map.of("A", List.of(fileEvent)), first);
        Map<String, List<Event>> known = new HashMap<>(Map.of("A", new ArrayList<>(List.of(fileEvent))));

        JobClient job = fixture.start();
        try (ServingStore store = fixture.serving()) {
            ServingReader reader = store.reader(fixture.spec);
            send(fixture, known, event("A", T0 + HOUR, 20, "m2"), event("B", T0 + 2 * HOUR, 5, "m1"), event("A", T0 + 2 * HOUR, 30, "m3"));
            await("A scored in real time", () -> latest(reader, "A").map(s -> s.provenance().eventTime() == T0 + 2 * HOUR).orElse(false));
            assertThat(latest(reader, "A").orElseThrow().provenance().model().orElseThrow().version()).isEqualTo(1);

            // A busy: an event every 600 ms over some 5 s, so over several epochs and buckets, then one more after the buckets closed
            for (int minute = 1; minute <= 8; minute++) {
                send(fixture, known, event("A", T0 + 2 * HOUR + minute * 60_000L, minute, "m" + minute));
                Thread.sleep(600);
            }
            Thread.sleep(2_500);
            send(fixture, known, event("A", T0 + 2 * HOUR + 9 * 60_000L, 9, "m9"));
            await("A's newest event in its vector", () -> matches(fixture, reader, known, "A", T0 + 2 * HOUR + 10 * 60_000L));
            await("the lake holds A's 11 events", () -> {
                Table table = fixture.events();
                try {
                    return fixture.lakeEvents(table, table.currentSnapshot().snapshotId()).getOrDefault("A", List.of()).size() == 11;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long epochsWithEvents = fixture.lakeEpochs("A");
            int rows = reader.realtime("A", ServingCut.NONE).rows().size();
            assertThat(rows).as("A's rows of %d epochs with events, buckets over merged", epochsWithEvents).isLessThan((int) epochsWithEvents);
            assertMerged(fixture, reader, known);

            // the batch layer publishes the view of lake snapshot S, with a new champion, and announces it
            PublishedView v2 = publishLake(fixture, 2, 12, T0 + 3 * HOUR, second);
            ServingCut cut = v2.cut();
            assertThat(cut.generation()).isEqualTo(1);
            assertThat(cut.checkpoint()).isPositive();
            fixture.announce(v2);
            await("the rows S covers leave Cassandra", () -> reader.realtime("A", ServingCut.NONE).rows().stream()
                    .noneMatch(row -> cut.covers(row.generation(), row.epoch())));

            long announced = System.nanoTime();
            send(fixture, known, event("A", T0 + 3 * HOUR, 40, "m4"));
            await("the new champion scores", () -> latest(reader, "A")
                    .map(s -> s.provenance().eventTime() == T0 + 3 * HOUR && s.provenance().model().orElseThrow().version() == 2).orElse(false));
            assertThat(Duration.ofNanos(System.nanoTime() - announced)).isLessThan(Duration.ofSeconds(10));
            assertMerged(fixture, reader, known);

            // late: before the cutoff T0+3h, within max_lateness of A's newest event, after S
            send(fixture, known, event("A", T0 + 2 * HOUR + HOUR / 2, 7, "m5"));
            await("the late event is in A's vector", () -> matches(fixture, reader, known, "A", T0 + 3 * HOUR + 1));
            assertMerged(fixture, reader, known);

            PublishedView v3 = publishLake(fixture, 3, 14, T0 + 3 * HOUR, second);
            fixture.announce(v3);
            await("the rows S' covers leave Cassandra", () -> reader.realtime("A", ServingCut.NONE).rows().stream()
                    .noneMatch(row -> v3.cut().covers(row.generation(), row.epoch())));
            await("serving reads v3", () -> reader.currentView().orElseThrow().version() == 3);
            assertMerged(fixture, reader, known);
        } finally {
            job.cancel().get();
        }
    }

    private static void send(SpeedFixture fixture, Map<String, List<Event>> known, Event... events) throws Exception {
        for (Event e : events) {
            known.computeIfAbsent((String) e.get("card"), k -> new ArrayList<>()).add(e);
        }
        fixture.produce(java.util.Arrays.stream(events).map(SpeedFixture::json).toList());
    }

    /**
     * Waits until the lake holds {@code events} speed events and its cut, rounded down to a bucket's end, is
     * past the generation's start, then publishes the view of that snapshot as the batch layer would: the
     * events of the snapshot its cut holds, plus the file event the first view held.
     */
    private static PublishedView publishLake(SpeedFixture fixture, long version, int events, long cutoff, ChampionRef champion)
            throws Exception {
        Table[] table = new Table[1];
        await("the lake holds " + events + " speed events", () -> {
            table[0] = fixture.events();
            Snapshot current = table[0].currentSnapshot();
            try {
                return current != null && SpeedFixture.cutOf(table[0], current.snapshotId()).checkpoint() > 0
                        && fixture.lakeEvents(table[0], current.snapshotId()).values().stream().mapToInt(List::size).sum() == events;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Snapshot s = table[0].currentSnapshot();
        Map<String, List<Event>> byKey = fixture.lakeEvents(table[0], s.snapshotId(), SpeedFixture.cutOf(table[0], s.snapshotId()));
        byKey.computeIfAbsent("A", k -> new ArrayList<>()).add(event("A", T0, 10, "m1"));
        return fixture.publish(version, new SnapshotRef(s.snapshotId(), s.sequenceNumber(), s.timestampMillis()),
                SpeedFixture.cutOf(table[0], s.snapshotId()), cutoff, byKey, champion);
    }

    private static Optional<Score> latest(ServingReader reader, String key) {
        return reader.read(key, T0 + 10 * HOUR).flatMap(r -> r.latestScore());
    }

    private static boolean matches(SpeedFixture fixture, ServingReader reader, Map<String, List<Event>> known, String key, long readTime) {
        return reader.read(key, readTime).map(r -> java.util.Arrays.equals(r.features().values().toArray(Double[]::new),
                fixture.recomputed(known.get(key), readTime, null))).orElse(false);
    }

    private static void assertMerged(SpeedFixture fixture, ServingReader reader, Map<String, List<Event>> known) {
        for (String key : known.keySet()) {
            for (long readTime : List.of(T0 + 2 * HOUR, T0 + 2 * HOUR + HOUR / 2 + 1, T0 + 3 * HOUR + 1, T0 + 5 * HOUR, T0 + 20 * HOUR)) {
                assertThat(reader.read(key, readTime).orElseThrow().features().values()).as("%s at %d", key, readTime)
                        .containsExactly(fixture.recomputed(known.get(key), readTime, null));
            }
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(100);
        }
    }
}
