package io.tessera.jobs.cli;

import static io.tessera.jobs.cli.PlatformFixture.freePort;
import static io.tessera.jobs.cli.PlatformFixture.platform;
import static io.tessera.jobs.cli.PlatformFixture.writeEvents;
import static io.tessera.jobs.cli.PlatformFixture.writeSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;

import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.jobs.cli.PlatformFixture.Run;
import io.tessera.jobs.lake.LakeCatalog;
import io.tessera.jobs.replay.Replay;
import io.tessera.stack.ServiceName;
import io.tessera.stack.ServiceProcess;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lake maintenance at its most aggressive ({@code --retain 0 --keep-last 1}: compaction, then every
 * snapshot it may expire) while the speed layer commits to the same tables every checkpoint, and again
 * while it is stopped, after an ingest committed on top of its last commits: no event is lost or counted
 * twice, during the maintenance nor after the speed layer restores from its savepoint.
 */
@Tag("e2e")
@LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG})
class MaintenanceBesideTheSpeedLayerTest {

    private static final Duration SETTLED = Duration.ofSeconds(120);

    @Test
    void maintenanceBesideARunningSpeedLayerAndAcrossItsRestartLosesAndDuplicatesNothing(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.keyspace();
        Path spec = writeSpec(dir, pipeline);
        String[] platform = {"--home", stack.settings().home().toString(), "--set", "speed.rest.port=" + freePort()};
        try (RESTCatalog catalog = LakeCatalog.open(stack.icebergCatalogUri())) {
            TableIdentifier events = TableIdentifier.of(pipeline, "events");
            TableIdentifier quarantine = TableIdentifier.of(pipeline, "quarantine");
            Run started = platform(platform, "speed", "start", "--spec", spec.toString(), "--fresh");
            assertThat(started.exitCode()).as(started.err()).isZero();

            Path first = writeEvents(dir.resolve("first.jsonl"), 200, 50 * 60_000L, "a");
            Files.write(first, List.of("not json", "{\"card\": \"c1\""), StandardOpenOption.APPEND);
            replay(stack, spec, first, 0);
            awaitRows(catalog, events, 200);
            awaitRows(catalog, quarantine, 2);

            Path second = writeEvents(dir.resolve("second.jsonl"), 600, 40 * 60_000L, "b");
            CompletableFuture<Void> streaming = CompletableFuture.runAsync(() -> replay(stack, spec, second, 15));
            Run maintained = platform(platform, "lake", "maintain", "--spec", spec.toString(), "--retain", "0", "--keep-last", "1");
            assertThat(maintained.exitCode()).as(maintained.out() + maintained.err()).isZero();
            assertThat(maintained.out()).contains("expired", "kept back to snapshot");
            streaming.join();
            awaitRows(catalog, events, 800);
            assertThat(platform(platform, "speed", "status", "--spec", spec.toString()).out()).contains("job RUNNING");

            Run stopped = platform(platform, "speed", "stop", "--spec", spec.toString());
            assertThat(stopped.exitCode()).as(stopped.err()).isZero();
            Path late = Files.write(dir.resolve("ingested.jsonl"), List.of(
                    "{\"card\":\"c9\",\"ts\":%d,\"amt\":1.5,\"merchant\":\"i\",\"fraud\":0}".formatted(System.currentTimeMillis() - 30 * 60_000L),
                    "{\"card\": 7"));
            assertThat(platform(platform, "ingest", "--spec", spec.toString(), "--file", late.toString()).exitCode()).isZero();
            Run again = platform(platform, "lake", "maintain", "--spec", spec.toString(), "--retain", "0", "--keep-last", "1");
            assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
            assertThat(lineageSnapshots(catalog.loadTable(quarantine))).as("the speed layer's last commit to quarantine, under the ingest's")
                    .isPositive();

            Run restarted = platform(platform, "speed", "start", "--spec", spec.toString());
            assertThat(restarted.exitCode()).as(restarted.err()).isZero();
            assertThat(restarted.out()).contains("restored from");
            replay(stack, spec, writeEvents(dir.resolve("third.jsonl"), 50, 20 * 60_000L, "c"), 0);
            awaitRows(catalog, events, 851);
            Thread.sleep(12_000);   // two more checkpoints: a commit made twice would show now
            assertThat(rows(catalog.loadTable(events))).as("every event once").isEqualTo(851);
            assertThat(rows(catalog.loadTable(quarantine))).as("every malformed record once").isEqualTo(3);
        } finally {
            new ServiceProcess(stack.settings(), "speed-" + pipeline).stop(Duration.ofSeconds(15));
        }
    }

    private static void replay(TestStack stack, Path spec, Path file, double rate) {
        try {
            Replay.Builder replay = Replay.of(stack.kafkaBootstrap(), PipelineSpecs.load(spec), file);
            (rate > 0 ? replay.rate(rate) : replay).build().run();
        } catch (Exception e) {
            throw new IllegalStateException("replay of " + file + " failed", e);
        }
    }

    private static void awaitRows(RESTCatalog catalog, TableIdentifier table, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLED.toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            seen = rows(catalog.loadTable(table));
            if (seen >= expected) {
                assertThat(seen).as(table + ": no row twice").isEqualTo(expected);
                return;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError(table + " holds " + seen + " rows after " + SETTLED.toSeconds() + " s, not " + expected);
    }

    /** The current snapshot's record count, as Iceberg keeps it (this module reads no Parquet). */
    private static long rows(Table table) {
        return table.currentSnapshot() == null ? 0 : Long.parseLong(table.currentSnapshot().summary().get(SnapshotSummary.TOTAL_RECORDS_PROP));
    }

    private static long lineageSnapshots(Table table) {
        return StreamSupport.stream(table.snapshots().spliterator(), false)
                .filter(snapshot -> SnapshotLineage.fromSummary(snapshot.snapshotId(), snapshot.summary()).isPresent()).count();
    }
}
