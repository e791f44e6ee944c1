package io.tessera.jobs.cli;

import static io.tessera.jobs.cli.PlatformFixture.awaitRealtimeKeys;
import static io.tessera.jobs.cli.PlatformFixture.freePort;
import static io.tessera.jobs.cli.PlatformFixture.platform;
import static io.tessera.jobs.cli.PlatformFixture.writeSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.jobs.cli.PlatformFixture.Run;
import io.tessera.jobs.replay.Replay;
import io.tessera.jobs.speed.SpeedLayer;
import io.tessera.stack.ServiceName;
import io.tessera.stack.ServiceProcess;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code platform speed start|status|stop} as an operator runs them: the speed layer's JVM in the
 * background under the stack's supervision, stopped with a savepoint and restored from it.
 */
@LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG})
class SpeedCommandTest {

    @Test
    void startRunsTheJobInTheBackgroundStopTakesASavepointAndTheNextStartRestoresFromIt(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.keyspace();
        Path spec = writeSpec(dir, pipeline);
        String[] platform = {"--home", stack.settings().home().toString(), "--set", "speed.rest.port=" + freePort()};

        try {
            startStatusStopRestart(stack, pipeline, spec, platform, dir);
        } finally {
            new ServiceProcess(stack.settings(), "speed-" + pipeline).stop(Duration.ofSeconds(15)); // a failed assertion leaves no JVM behind
        }
    }

    private static void startStatusStopRestart(TestStack stack, String pipeline, Path spec, String[] platform, Path dir) throws Exception {
        long begin = System.nanoTime();
        Run started = platform(platform, "speed", "start", "--spec", spec.toString(), "--fresh");
        System.out.printf("speed start (fresh) to RUNNING: %.1f s%n", (System.nanoTime() - begin) / 1e9);
        assertThat(started.exitCode()).as(started.err()).isZero();
        assertThat(started.out()).contains("speed layer of " + pipeline + ": generation", "started without state", "Flink web UI http://127.0.0.1:",
                "log " + stack.settings().logDir().resolve("speed-" + pipeline + ".log"));

        Run again = platform(platform, "speed", "start", "--spec", spec.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already runs");

        assertThat(platform(platform, "speed", "status", "--spec", spec.toString()).out()).contains("speed-" + pipeline, "job RUNNING");

        Path events = dir.resolve("events.jsonl");
        long now = System.currentTimeMillis();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add("{\"card\":\"c%d\",\"ts\":%d,\"amt\":%d.5,\"merchant\":\"m%d\",\"fraud\":0}".formatted(i % 3, now - 60_000 + i, i, i));
        }
        Files.write(events, lines);
        Replay.of(stack.kafkaBootstrap(), PipelineSpecs.load(spec), events).build().run();
        awaitRealtimeKeys(stack, pipeline, 3);
        // the scoring tasks' histogram of realtime rows per key, once Flink's REST API fetched it: a key of 2 events, 1 or 2 rows
        Matcher rows = awaitStatus(platform, spec, Pattern.compile("realtime rows per key p99 (\\d+), max (\\d+)"));
        assertThat(Integer.parseInt(rows.group(2))).isBetween(1, 2);

        begin = System.nanoTime();
        Run stopped = platform(platform, "speed", "stop", "--spec", spec.toString());
        System.out.printf("speed stop with savepoint: %.1f s%n", (System.nanoTime() - begin) / 1e9);
        assertThat(stopped.exitCode()).as(stopped.err()).isZero();
        Path savepoints = stack.settings().home().resolve("speed").resolve(pipeline).resolve("savepoints");
        assertThat(stopped.out()).contains("stopped with savepoint " + savepoints);
        try (var files = Files.walk(savepoints)) {
            assertThat(files.filter(file -> file.getFileName().toString().equals("_metadata"))).isNotEmpty();
        }
        assertThat(stack.settings().runDir().resolve("speed-" + pipeline + ".pid")).doesNotExist();
        Run statusStopped = platform(platform, "speed", "status", "--spec", spec.toString());
        assertThat(statusStopped.exitCode()).isEqualTo(1);
        assertThat(statusStopped.out()).contains("not running");

        begin = System.nanoTime();
        Run restarted = platform(platform, "speed", "start", "--spec", spec.toString());
        System.out.printf("speed start (restore) to RUNNING: %.1f s%n", (System.nanoTime() - begin) / 1e9);
        assertThat(restarted.exitCode()).as(restarted.err()).isZero();
        assertThat(restarted.out()).contains("restored from " + savepoints);
        assertThat(platform(platform, "stack", "status").out()).contains("speed-" + pipeline, "job RUNNING");

        Run stoppedAgain = platform(platform, "speed", "stop", "--spec", spec.toString());
        assertThat(stoppedAgain.exitCode()).as(stoppedAgain.err()).isZero();
        assertThat(stoppedAgain.out()).contains("stopped with savepoint");
        assertThat(platform(platform, "speed", "stop", "--spec", spec.toString()).out()).contains("is not running");

        // a savepoint that cannot be written (its folder is a file): speed stop leaves the job running and says so;
        // stack down stops it all the same, as it must leave no process behind
        assertThat(platform(platform, "speed", "start", "--spec", spec.toString()).exitCode()).isZero();
        Path kept = dir.resolve("savepoints-kept");
        Files.move(savepoints, kept);
        Files.writeString(savepoints, "not a folder");
        Run refused = platform(platform, "speed", "stop", "--spec", spec.toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("savepoint of the speed layer of " + pipeline + " failed, the job keeps running");
        assertThat(platform(platform, "speed", "status", "--spec", spec.toString()).out()).contains("job RUNNING");
        String down = new SpeedLayer(stack.settings(), pipeline).stopEvenWithoutSavepoint();
        assertThat(down).contains("stopped without a savepoint", "restores from its newest checkpoint");
        assertThat(stack.settings().runDir().resolve("speed-" + pipeline + ".pid")).doesNotExist();
        assertThat(platform(platform, "speed", "status", "--spec", spec.toString()).out()).contains("not running");
    }

    private static Matcher awaitStatus(String[] platform, Path spec, Pattern wanted) throws InterruptedException {
        String out = "";
        for (int attempt = 0; attempt < 60; attempt++) {
            out = platform(platform, "speed", "status", "--spec", spec.toString()).out();
            Matcher matcher = wanted.matcher(out);
            if (matcher.find()) {
                return matcher;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("speed status never showed " + wanted + "; last: " + out);
    }

    @Test
    void aBadFlinkMasterIsNamedWithinSecondsAndAMissingStackIsNamed(TestStack stack, @TempDir Path dir) throws Exception {
        Path spec = writeSpec(dir, stack.keyspace());
        String[] home = {"--home", stack.settings().home().toString()};

        Run noPort = platform(home, "speed", "start", "--spec", spec.toString(), "--flink-master", "127.0.0.1");
        assertThat(noPort.exitCode()).isEqualTo(2);
        assertThat(noPort.err()).startsWith("--flink-master must be HOST:PORT");

        long begin = System.nanoTime();
        int nobody = freePort();
        Run unreachable = platform(home, "speed", "start", "--spec", spec.toString(), "--flink-master", "127.0.0.1:" + nobody);
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(60));
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("error: no Flink REST API answers at http://127.0.0.1:" + nobody)
                .contains("platform stack up flink");
        assertThat(stack.settings().runDir().resolve("speed-" + stack.keyspace() + ".session")).doesNotExist();
        assertThat(stack.settings().home().resolve("speed").resolve(stack.keyspace())).as("nothing created for a master that is not there")
                .doesNotExist();

        Run noStack = platform(new String[] {"--home", dir.resolve("no-stack-here").toString()}, "speed", "start", "--spec", spec.toString());
        assertThat(noStack.exitCode()).isEqualTo(1);
        assertThat(noStack.err()).startsWith("error: not running: [kafka").contains("./platform stack up");
    }
}
