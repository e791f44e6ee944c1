package io.tessera.jobs.cli;

import static io.tessera.jobs.cli.PlatformFixture.platform;
import static io.tessera.jobs.cli.PlatformFixture.publishChampion;
import static io.tessera.jobs.cli.PlatformFixture.writeEvents;
import static io.tessera.jobs.cli.PlatformFixture.writeSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.Score;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.jobs.cli.PlatformFixture.Run;
import io.tessera.jobs.replay.Replay;
import io.tessera.serving.store.ServingReader;
import io.tessera.serving.store.ServingStore;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code platform speed start --flink-master} against a real Flink session cluster (the stack's
 * {@code flink}: a JobManager and a TaskManager JVM): the job jar is submitted and the client exits, events
 * land in the lake and are scored in the realtime view, {@code speed stop} takes a savepoint through the
 * cluster's REST API and the next submission resumes from it with nothing lost or counted twice.
 */
@Tag("e2e")
@LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG, ServiceName.FLINK})
class SpeedSessionClusterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theJobRunsOnTheSessionClusterStopsWithASavepointAndResumesFromItExactly(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.keyspace();
        Path specFile = writeSpec(dir, pipeline);
        PipelineSpec spec = PipelineSpecs.load(specFile);
        ChampionRef champion = publishChampion(stack, spec, dir);
        String master = stack.host() + ":" + stack.settings().port("flink.port");
        String[] home = {"--home", stack.settings().home().toString()};
        Path session = stack.settings().runDir().resolve("speed-" + pipeline + ".session");
        Path savepoints = stack.settings().home().resolve("speed").resolve(pipeline).resolve("savepoints");
        try {
            long begin = System.nanoTime();
            Run started = platform(home, "speed", "start", "--spec", specFile.toString(), "--fresh", "--flink-master", master);
            System.out.printf("speed start --flink-master (fresh) to RUNNING: %.1f s%n", (System.nanoTime() - begin) / 1e9);
            assertThat(started.exitCode()).as(started.err()).isZero();
            assertThat(started.out()).contains("speed layer of " + pipeline + ": generation", "started without state",
                    "on the Flink session cluster at " + master, "(no local process)");
            assertThat(session).exists();
            assertThat(stack.settings().runDir().resolve("speed-" + pipeline + ".pid")).doesNotExist();
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(specFile.toString())))
                    .as("no local JVM runs the job").isEmpty();
            assertThat(platform(home, "speed", "status", "--spec", specFile.toString()).out()).contains("speed-" + pipeline, "job RUNNING",
                    "http://" + master);

            Replay.of(stack.kafkaBootstrap(), spec, writeEvents(dir.resolve("first.jsonl"), 6, 120_000, "m")).build().run();
            awaitLakeEvents(stack, pipeline, 6);
            long firstNewest = newestEventTime(dir.resolve("first.jsonl"));
            awaitScored(stack, spec, champion, firstNewest);

            begin = System.nanoTime();
            Run stopped = platform(home, "speed", "stop", "--spec", specFile.toString());
            System.out.printf("speed stop (savepoint through the cluster's REST API): %.1f s%n", (System.nanoTime() - begin) / 1e9);
            assertThat(stopped.exitCode()).as(stopped.err()).isZero();
            assertThat(stopped.out()).contains("stopped with savepoint " + savepoints);
            assertThat(session).doesNotExist();
            assertThat(platform(home, "speed", "status", "--spec", specFile.toString()).exitCode()).isEqualTo(1);

            // sent while nothing reads the topic: the resumed job must take them from the savepoint's offsets, once
            Replay.of(stack.kafkaBootstrap(), spec, writeEvents(dir.resolve("second.jsonl"), 6, 60_000, "n")).build().run();
            Run resumed = platform(home, "speed", "start", "--spec", specFile.toString(), "--flink-master", master);
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(resumed.out()).contains("restored from " + savepoints);
            awaitLakeEvents(stack, pipeline, 12);
            awaitScored(stack, spec, champion, newestEventTime(dir.resolve("second.jsonl")));
            Thread.sleep(12_000);   // two more checkpoints: a replay of already committed events would show now
            assertThat(lakeEvents(stack, pipeline)).as("every event once in the lake").isEqualTo(12);

            Run stoppedAgain = platform(home, "speed", "stop", "--spec", specFile.toString());
            assertThat(stoppedAgain.exitCode()).as(stoppedAgain.err()).isZero();
            assertThat(stoppedAgain.out()).contains("stopped with savepoint");
        } finally {
            if (Files.exists(session)) {
                platform(home, "speed", "stop", "--spec", specFile.toString()); // a failed assertion leaves no job behind on the cluster
            }
        }
    }

    /** Waits until the lake's events table holds at least {@code count} records, as its current snapshot's summary says. */
    private static void awaitLakeEvents(TestStack stack, String pipeline, long count) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        long seen = 0;
        while (System.nanoTime() < deadline) {
            seen = lakeEvents(stack, pipeline);
            if (seen >= count) {
                return;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError(seen + " events in lake." + pipeline + ".events after 180 s, not " + count);
    }

    /** The records of the lake's events table, read from the REST catalog (the table's metadata: its current snapshot's total-records). */
    private static long lakeEvents(TestStack stack, String pipeline) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.icebergCatalogUri() + "/v1/namespaces/" + pipeline
                + "/tables/events")).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return 0;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode metadata = JSON.readTree(response.body()).path("metadata");
        long current = metadata.path("current-snapshot-id").asLong(-1);
        for (JsonNode snapshot : metadata.path("snapshots")) {
            if (snapshot.path("snapshot-id").asLong() == current) {
                return snapshot.path("summary").path("total-records").asLong();
            }
        }
        return 0;
    }

    /** Waits until each card's latest score is the speed layer's, by the champion, of an event at or after {@code newest} - 2 s. */
    private static void awaitScored(TestStack stack, PipelineSpec spec, ChampionRef champion, long newest) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        try (ServingStore store = ServingStore.open(ServingSettings.target(stack.settings()), spec.name(), spec.serving().view())) {
            ServingReader reader = store.reader(spec);
            Map<String, Optional<Score>> scores = Map.of();
            while (System.nanoTime() < deadline) {
                long now = System.currentTimeMillis();
                scores = Map.of("c0", score(reader, "c0", now), "c1", score(reader, "c1", now), "c2", score(reader, "c2", now));
                if (scores.values().stream().allMatch(s -> s.isPresent() && s.get().provenance().eventTime() >= newest - 2_000)) {
                    for (Optional<Score> score : scores.values()) {
                        assertThat(score.get().provenance().layer()).isEqualTo(Provenance.Layer.REALTIME);
                        assertThat(score.get().provenance().model()).hasValue(new Provenance.ModelRef(champion.name(), 1, Provenance.Role.CHAMPION));
                    }
                    return;
                }
                Thread.sleep(500);
            }
            throw new AssertionError("the cards' latest scores after 120 s: " + scores + ", newest event at " + newest);
        }
    }

    private static Optional<Score> score(ServingReader reader, String card, long at) {
        return reader.read(card, at).flatMap(reading -> reading.latestScore());
    }

    private static long newestEventTime(Path events) throws Exception {
        List<String> lines = Files.readAllLines(events);
        return JSON.readTree(lines.get(lines.size() - 1)).path("ts").asLong();
    }
}
