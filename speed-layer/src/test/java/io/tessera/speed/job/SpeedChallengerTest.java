package io.tessera.speed.job;

import static io.tessera.speed.job.SpeedFixture.HOUR;
import static io.tessera.speed.job.SpeedFixture.T0;
import static io.tessera.speed.job.SpeedFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.contract.ChallengerAssignment;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.Score;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.TrafficSplit;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.model.Scorer;
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
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A challenger set and cleared under a running speed layer, as {@code platform models challenger} does
 * (serving records the change, then the control stream announces it): within seconds the keys of an A/B
 * challenger's share are served its score while the champion's is recorded beside it, the other keys
 * see the champion only; in shadow every key is scored by both and served the champion's; cleared, the
 * champion alone. Every score in the lake with its role and whether it was served. A job restarted after
 * a change it never received on the control stream learns it from serving.
 */
@LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG})
class SpeedChallengerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long MINUTE = 60_000L;
    private static final Duration PROMPT = Duration.ofSeconds(10);

    @Test
    void aChallengerSetMidStreamIsScoredBesideTheChampionForItsKeysAndClearedAgain(TestStack stack, @TempDir Path dir) throws Exception {
        SpeedFixture fixture = new SpeedFixture(stack, dir);
        ChampionRef champion = fixture.champion(dir, 1);
        ChampionRef challengerModel = fixture.champion(dir, 2);
        Scorer challengerScorer = Scorer.of(ModelFormat.read(Path.of(challengerModel.artifactLocation())));
        // two keys in the challenger's half of keys, two out of it, by the split every layer computes
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (int i = 0; in.size() < 2 || out.size() < 2; i++) {
            String key = "K" + i;
            (TrafficSplit.inShare(key, challengerModel.version(), TrafficSplit.threshold(0.5)) ? in : out).add(key);
        }
        List<String> keys = List.of(in.get(0), in.get(1), out.get(0), out.get(1));
        fixture.publish(1, 1, ServingCut.NONE, Map.of("Z", List.of(event("Z", T0, 1, "m"))), champion);
        Map<String, List<Event>> known = new HashMap<>();

        JobClient job = fixture.start();
        try (ServingStore store = fixture.serving()) {
            ServingReader reader = store.reader(fixture.spec);
            send(fixture, known, keys, T0 + HOUR);
            for (String key : keys) {
                await(key + " scored by the champion", () -> served(reader, key, T0 + HOUR, Provenance.Role.CHAMPION));
            }

            // A/B, half of the keys
            long announced = set(fixture, store, new ChallengerAssignment(fixture.spec.name(), 1, challengerModel,
                    ChallengerAssignment.Mode.AB, 0.5, "v2 on half of the keys", System.currentTimeMillis()));
            long ab = sendUntilApplied(fixture, reader, known, keys, T0 + 2 * HOUR,
                    t -> in.stream().allMatch(key -> served(reader, key, t, Provenance.Role.CHALLENGER))
                            && out.stream().allMatch(key -> served(reader, key, t, Provenance.Role.CHAMPION)));
            assertThat(Duration.ofNanos(System.nanoTime() - announced)).as("the challenger serves within seconds").isLessThan(PROMPT);
            for (String key : in) {
                Score score = latest(reader, key).orElseThrow();
                assertThat(score.provenance().model().orElseThrow().version()).isEqualTo(2);
                double[] vector = unboxed(fixture.recomputed(known.get(key), ab, event(key, ab, amount(key), "m")));
                assertThat(score.value()).isEqualTo(challengerScorer.score(vector));
            }
            awaitLakeScores(fixture, ab, Map.of(
                    in.get(0), List.of("challenger 2 served", "champion 1 recorded"), in.get(1), List.of("challenger 2 served", "champion 1 recorded"),
                    out.get(0), List.of("champion 1 served"), out.get(1), List.of("champion 1 served")));

            // shadow: every key scored by both, the champion served
            set(fixture, store, ChallengerAssignment.shadow(fixture.spec.name(), 2, challengerModel, "v2 on every key, served none",
                    System.currentTimeMillis()));
            Map<String, List<String>> shadow = new HashMap<>();
            keys.forEach(key -> shadow.put(key, List.of("challenger 2 recorded", "champion 1 served")));
            long shadowed = sendUntilApplied(fixture, reader, known, keys, T0 + 3 * HOUR, t -> lakeRound(fixture, keys, t).equals(shadow));
            for (String key : keys) {
                assertThat(served(reader, key, shadowed, Provenance.Role.CHAMPION)).as("%s served the champion in shadow", key).isTrue();
            }

            // cleared: the champion alone
            long cleared = System.nanoTime();
            fixture.announce(record(store, new ControlMessage.ChallengerCleared(fixture.spec.name(), 3, "enough seen", System.currentTimeMillis())));
            Map<String, List<String>> alone = new HashMap<>();
            keys.forEach(key -> alone.put(key, List.of("champion 1 served")));
            long clearedAt = sendUntilApplied(fixture, reader, known, keys, T0 + 4 * HOUR, t -> lakeRound(fixture, keys, t).equals(alone));
            for (String key : keys) {
                assertThat(served(reader, key, clearedAt, Provenance.Role.CHAMPION)).as("%s served the champion once cleared", key).isTrue();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - cleared)).isLessThan(WAIT);
        } finally {
            job.cancel().get();
        }

        // a change serving recorded while the job was down, its control message never seen (lost, or expired
        // from the topic): the restarted job learns it from serving
        try (ServingStore store = fixture.serving()) {
            record(store, new ControlMessage.ChallengerSet(new ChallengerAssignment(fixture.spec.name(), 4, challengerModel,
                    ChallengerAssignment.Mode.AB, 1.0, "every key", System.currentTimeMillis())));
            JobClient restarted = fixture.start();
            try {
                ServingReader reader = store.reader(fixture.spec);
                send(fixture, known, keys, T0 + 5 * HOUR);
                for (String key : keys) {
                    await(key + " served the challenger after a restart", () -> served(reader, key, T0 + 5 * HOUR, Provenance.Role.CHALLENGER));
                }
            } finally {
                restarted.cancel().get();
            }
        }
    }

    /**
     * Sends one event per key at {@code from}, then a minute later, and so on, until a round's scores show
     * the change applied; returns that round's event time. A change on the control stream races the events
     * sent after it (another topic, read by another source, broadcast to every task on its own schedule), so
     * the first round may still be scored under the previous assignment: what the test holds the job to is
     * that the change applies to every key within {@link #WAIT}.
     */
    private static long sendUntilApplied(SpeedFixture fixture, ServingReader reader, Map<String, List<Event>> known, List<String> keys,
            long from, LongPredicate applied) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (long t = from; ; t += MINUTE) {
            long round = t;
            send(fixture, known, keys, round);
            await("the round at " + round + " scored", () -> keys.stream().allMatch(key -> scoredAt(reader, key, round)));
            if (applied.test(round)) {
                return round;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the change was not applied to the round at " + round + " within " + WAIT
                        + "; the lake's scores of that round: " + lakeScores(fixture, round));
            }
        }
    }

    /** The lake's scores of the round at {@code eventTime} once every key's are committed. */
    private static Map<String, List<String>> lakeRound(SpeedFixture fixture, List<String> keys, long eventTime) {
        Map<String, List<String>>[] seen = new Map[1];
        try {
            await("the lake's scores at " + eventTime + " for " + keys, () -> {
                seen[0] = lakeScores(fixture, eventTime);
                return seen[0].keySet().containsAll(keys);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return seen[0];
    }

    /** Records the change in serving, then announces it: what the command does. */
    private static long set(SpeedFixture fixture, ServingStore store, ChallengerAssignment assignment) throws Exception {
        fixture.announce(record(store, new ControlMessage.ChallengerSet(assignment)));
        return System.nanoTime();
    }

    private static ControlMessage.ChallengerChange record(ServingStore store, ControlMessage.ChallengerChange change) {
        assertThat(store.recordChallenger(change)).as("revision %d recorded", change.revision()).isTrue();
        return change;
    }

    private static double amount(String key) {
        return 10 + Integer.parseInt(key.substring(1));
    }

    private static void send(SpeedFixture fixture, Map<String, List<Event>> known, List<String> keys, long time) throws Exception {
        List<String> values = new ArrayList<>();
        for (String key : keys) {
            Event e = event(key, time, amount(key), "m");
            known.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            values.add(SpeedFixture.json(e));
        }
        fixture.produce(values);
    }

    private static Optional<Score> latest(ServingReader reader, String key) {
        return reader.read(key, T0 + 10 * HOUR).flatMap(r -> r.latestScore());
    }

    private static boolean scoredAt(ServingReader reader, String key, long eventTime) {
        return latest(reader, key).map(s -> s.provenance().eventTime() == eventTime).orElse(false);
    }

    private static boolean served(ServingReader reader, String key, long eventTime, Provenance.Role role) {
        return latest(reader, key).map(s -> s.provenance().eventTime() == eventTime && s.provenance().model().orElseThrow().role() == role)
                .orElse(false);
    }

    /**
     * Waits until the lake's scores of events at {@code eventTime} are, per key, exactly the expected
     * "role version served|recorded", sorted.
     */
    private static void awaitLakeScores(SpeedFixture fixture, long eventTime, Map<String, List<String>> expected) throws Exception {
        Map<String, List<String>>[] seen = new Map[1];
        await("the lake's scores at " + eventTime + " are " + expected, () -> {
            seen[0] = lakeScores(fixture, eventTime);
            return seen[0].equals(expected);
        });
    }

    private static Map<String, List<String>> lakeScores(SpeedFixture fixture, long eventTime) {
        Table table = LakeCatalogs.rest(fixture.stack.icebergCatalogUri()).loadCatalog().loadTable(TableIdentifier.of(fixture.spec.name(), "scores"));
        Map<String, List<String>> byKey = new HashMap<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record row : rows) {
                long time = ((java.time.OffsetDateTime) row.getField("event_time")).toInstant().toEpochMilli();
                if (time == eventTime) {
                    byKey.computeIfAbsent((String) row.getField("entity"), k -> new ArrayList<>()).add(row.getField("model_role") + " "
                            + row.getField("model_version") + (Boolean.TRUE.equals(row.getField("served")) ? " served" : " recorded"));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        byKey.values().forEach(list -> list.sort(null));
        return byKey;
    }

    private static double[] unboxed(Double[] boxed) {
        double[] values = new double[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            values[i] = boxed[i];
        }
        return values;
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
