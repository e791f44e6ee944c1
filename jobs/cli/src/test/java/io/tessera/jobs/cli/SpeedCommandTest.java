package io.tessera.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.jobs.replay.Replay;
import io.tessera.stack.ServiceName;
import io.tessera.stack.ServiceProcess;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code platform speed start|status|stop} as an operator runs them: the speed layer's JVM in the
 * background under the stack's supervision, stopped with a savepoint and restored from it.
 */
@LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG})
class SpeedCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void startRunsTheJobInTheBackgroundStopTakesASavepointAndTheNextStartRestoresFromIt(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.keyspace();
        Path spec = Files.writeString(dir.resolve(pipeline + ".yaml"), spec(pipeline));
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
    }

    @Test
    void aSessionClusterIsNotYetSupportedAndAMissingStackIsNamed(TestStack stack, @TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("p.yaml"), spec(stack.keyspace()));

        Run master = platform(new String[] {"--home", stack.settings().home().toString()}, "speed", "start", "--spec", spec.toString(),
                "--flink-master", "localhost:8081");
        assertThat(master.exitCode()).isEqualTo(2);
        assertThat(master.err()).startsWith("not yet supported: --flink-master");

        Run noStack = platform(new String[] {"--home", dir.resolve("no-stack-here").toString()}, "speed", "start", "--spec", spec.toString());
        assertThat(noStack.exitCode()).isEqualTo(1);
        assertThat(noStack.err()).startsWith("error: not running: [kafka").contains("./platform stack up");
    }

    private static Run platform(String[] platform, String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = PlatformCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> all = new ArrayList<>(List.of(platform));
        all.addAll(List.of(args));
        int exitCode;
        try {
            exitCode = commandLine.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        System.err.print(err);
        return new Run(exitCode, text, err.toString());
    }

    /**
     * The speed layer writes a key's partials to the realtime view on its next checkpoint (5 s); on a busy
     * machine its first attempts may fail and restart, and its keyspace appears with its first write.
     */
    private static void awaitRealtimeKeys(TestStack stack, String keyspace, long keys) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress(stack.host(), stack.cassandraPort()))
                .withLocalDatacenter("datacenter1").build()) {
            long seen = 0;
            while (System.nanoTime() < deadline) {
                try {
                    seen = session.execute("SELECT DISTINCT entity FROM " + keyspace + ".realtime_view").all().size();
                    if (seen >= keys) {
                        return;
                    }
                } catch (InvalidQueryException notYetCreated) {
                    seen = 0;
                }
                Thread.sleep(500);
            }
            throw new AssertionError(seen + " keys in " + keyspace + ".realtime_view after 120 s, not " + keys);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static String spec(String pipeline) {
        return """
                pipeline: %s
                entity: { name: card, key: card }
                source:
                  topic: %s
                  format: json
                  timestamp: { field: ts, format: epoch_millis }
                  fields: { card: string, amt: double, merchant: string, fraud: int }
                  max_lateness: 1h
                features:
                  tile: 1h
                  aggregations:
                    - { name: n, op: count, windows: [1h, 24h] }
                    - { name: total, op: sum, of: amt, windows: [24h] }
                label: { field: fraud }
                model: { task: binary_classification, algorithm: logistic_regression }
                serving: { view: %s }
                """.formatted(pipeline, pipeline, pipeline);
    }
}
