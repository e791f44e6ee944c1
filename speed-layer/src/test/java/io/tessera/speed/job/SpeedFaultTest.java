package io.tessera.speed.job;

import static io.tessera.speed.job.SpeedFixture.HOUR;
import static io.tessera.speed.job.SpeedFixture.T0;
import static io.tessera.speed.job.SpeedFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.event.Event;
import io.tessera.serving.store.CassandraOptions;
import io.tessera.serving.store.ServingReader;
import io.tessera.serving.store.ServingStore;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speed layer's process killed with SIGKILL at three random points while events stream in, then
 * started again each time as {@code platform speed start} does (restore from the newest checkpoint):
 * every event is in the lake exactly once, and the realtime view merged with the batch view is what an
 * uninterrupted run gives (the recomputation from every event, as {@link SpeedJobTest} shows).
 */
@Tag("e2e")
@LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG})
class SpeedFaultTest {

    private static final int EVENTS = 3_000;
    private static final int KEYS = 40;

    @Test
    void killedThreeTimesMidStreamTheLakeHoldsEveryEventOnceAndTheViewIsExact(TestStack stack, @TempDir Path dir) throws Exception {
        SpeedFixture fixture = new SpeedFixture(stack, dir);
        Event fileEvent = event("k0", T0, 10, "m0");
        fixture.publish(1, 1, ServingCut.NONE, Map.of("k0", List.of(fileEvent)), fixture.champion(dir, 1));
        Random random = new Random(42);
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            sent.add(event("k" + random.nextInt(KEYS), T0 + HOUR + i * 20_000L, random.nextInt(50_000) / 100.0, "m" + random.nextInt(30)));
        }
        fixture.produce(List.of());   // creates the topic
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
            try {
                for (int from = 0; from < EVENTS; from += 100) {
                    fixture.produce(sent.subList(from, from + 100).stream().map(SpeedFixture::json).toList());
                    Thread.sleep(250);   // ~400 events/s over ~8 s
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        Path logs = java.nio.file.Files.createDirectories(Path.of("target", "speed-fault-logs"));   // kept for a failure's reader
        for (int kill = 0; kill < 3; kill++) {
            Process job = launch(fixture, logs.resolve("run-" + kill + ".log"));
            Thread.sleep(4_000 + random.nextInt(5_000));
            job.destroyForcibly().waitFor();
        }
        producing.join();
        Process last = launch(fixture, logs.resolve("run-last.log"));
        try {
            Table table = fixture.events();
            long deadline = System.currentTimeMillis() + 180_000;
            List<Record> rows = List.of();
            while (System.currentTimeMillis() < deadline) {
                table.refresh();
                rows = rows(table);
                if (rows.size() >= EVENTS) {
                    break;
                }
                Thread.sleep(1_000);
            }
            Set<Object> sources = rows.stream().map(r -> r.getField("ingest_source")).collect(Collectors.toSet());
            assertThat(rows).as("every event once in the lake").hasSize(EVENTS);
            assertThat(sources).hasSize(EVENTS);

            Map<String, List<Event>> byKey = new HashMap<>();
            byKey.put("k0", new ArrayList<>(List.of(fileEvent)));
            sent.forEach(e -> byKey.computeIfAbsent((String) e.get("card"), k -> new ArrayList<>()).add(e));
            long end = sent.get(EVENTS - 1).time();
            try (ServingStore store = fixture.serving()) {
                ServingReader reader = store.reader(fixture.spec);
                // the last rows may still be in flight when the lake has committed: give Cassandra a moment
                Thread.sleep(3_000);
                for (String key : byKey.keySet()) {
                    for (long readTime : List.of(end - 5 * HOUR, end - HOUR / 3, end + 1)) {
                        assertThat(reader.read(key, readTime).orElseThrow().features().values()).as("%s at %d", key, readTime)
                                .containsExactly(fixture.recomputed(byKey.get(key), readTime, null));
                    }
                }
            }
        } finally {
            last.destroyForcibly().waitFor();
        }
    }

    /** The speed job in a JVM of its own, as the launcher runs it: this test's classpath and JVM flags. */
    private static Process launch(SpeedFixture fixture, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-opens") || arg.startsWith("--add-exports")).forEach(command::add);
        command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), "io.tessera.speed.SpeedJob", "run",
                "--spec", fixture.specFile.toString(), "--catalog-uri", fixture.stack.icebergCatalogUri(), "--kafka",
                fixture.stack.kafkaBootstrap(), "--state-dir", fixture.stateDir.toString(), "--rest-port", "0", "--partitions", "2",
                "--checkpoint-interval", "PT1S"));
        command.addAll(CassandraOptions.args(fixture.cassandra()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static List<Record> rows(Table table) throws Exception {
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
            read.forEach(rows::add);
        }
        return rows;
    }
}
