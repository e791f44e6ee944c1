package io.tessera.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.ServingStore;
import io.tessera.stack.ServiceName;
import io.tessera.stack.ServiceProcess;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The query API supervised like the stack's servers: {@code stack up api} starts it over the specs of
 * setting {@code serving.specs}, {@code stack status} shows it, {@code stack down api} stops it, and a
 * second start is refused while it runs.
 */
@LocalStackTest({ServiceName.CASSANDRA})
class ServeCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void stackUpStartsTheConfiguredApiStatusShowsItAndDownStopsIt(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.keyspace();
        Path spec = Files.writeString(dir.resolve(pipeline + ".yaml"), spec(pipeline));
        try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), pipeline, pipeline)) {
            store.migrate();   // what `serving migrate` or a retrain does first: the API serves existing tables only
        }
        int port = freePort();
        String[] platform = {"--home", stack.settings().home().toString(), "--set", "serving.port=" + port, "--set", "serving.specs=" + spec};
        try {
            Run up = platform(platform, "stack", "up", "api");
            assertThat(up.exitCode()).as(up.err()).isZero();
            assertThat(up.out()).contains("query API on http://127.0.0.1:" + port, "log " + stack.settings().logDir().resolve("api.log"));
            assertThat(get(port, "/health/live")).isEqualTo(200);
            assertThat(get(port, "/v1/pipelines/" + pipeline)).as("the configured spec is served").isEqualTo(200);

            Run status = platform(platform, "stack", "status");
            assertThat(status.out()).containsPattern("api +running +pid \\d+ +READY, up \\S+, http://127.0.0.1:" + port);

            Run again = platform(platform, "serve", "--background");
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.err()).contains("the query API already runs");

            assertThat(platform(platform, "stack", "logs", "api").out()).contains("query API on http://127.0.0.1:" + port);

            Run down = platform(platform, "stack", "down", "api");
            assertThat(down.exitCode()).as(down.err()).isZero();
            assertThat(down.out()).contains("the query API stopped");
            assertThat(get(port, "/health/live")).as("nothing listens any more").isEqualTo(-1);
            assertThat(platform(platform, "stack", "status").out()).doesNotContain("api ").containsPattern("cassandra +ready");
        } finally {
            new ServiceProcess(stack.settings(), "api").stop(Duration.ofSeconds(15)); // a failed assertion leaves no JVM behind
        }
    }

    @Test
    void withoutConfiguredSpecsTheApiIsNotStartedAndSaysWhy(TestStack stack, @TempDir Path dir) {
        String[] platform = {"--home", stack.settings().home().toString()};
        Run up = platform(platform, "stack", "up", "api");
        assertThat(up.exitCode()).isEqualTo(1);
        assertThat(up.err()).contains("serving.specs, which is not set");
        Run serve = platform(platform, "serve", "--background");
        assertThat(serve.exitCode()).isNotZero();
        assertThat(serve.err()).contains("no pipeline to serve: pass --spec FILE");
    }

    private static int get(int port, String path) throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException refused) {
            return -1;
        }
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
                  fields: { card: string, amt: double, fraud: int }
                  max_lateness: 1h
                features:
                  tile: 1h
                  aggregations:
                    - { name: n, op: count, windows: [1h] }
                label: { field: fraud }
                model: { task: binary_classification, algorithm: logistic_regression }
                serving: { view: %s }
                """.formatted(pipeline, pipeline, pipeline);
    }
}
