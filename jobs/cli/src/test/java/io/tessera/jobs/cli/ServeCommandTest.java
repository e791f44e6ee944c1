package io.tessera.jobs.cli;

import static io.tessera.jobs.cli.PlatformFixture.freePort;
import static io.tessera.jobs.cli.PlatformFixture.platform;
import static io.tessera.jobs.cli.PlatformFixture.writeSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import io.tessera.jobs.cli.PlatformFixture.Run;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.ServingStore;
import io.tessera.stack.ServiceName;
import io.tessera.stack.ServiceProcess;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API supervised like the stack's servers: {@code stack up api} starts it over the specs of
 * setting {@code serving.specs}, {@code stack status} shows it, {@code stack down api} stops it, and a
 * second start is refused while it runs.
 */
@LocalStackTest({ServiceName.CASSANDRA})
class ServeCommandTest {

    @Test
    void stackUpStartsTheConfiguredApiStatusShowsItAndDownStopsIt(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.keyspace();
        Path spec = writeSpec(dir, pipeline);
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
}
