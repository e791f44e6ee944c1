package io.tessera.jobs.cli;

import static io.tessera.jobs.cli.PlatformFixture.freePort;
import static io.tessera.jobs.cli.PlatformFixture.platform;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.jobs.cli.PlatformFixture.Run;
import io.tessera.jobs.replay.Replay;
import io.tessera.stack.ServiceName;
import io.tessera.stack.ServiceProcess;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code platform models}: options that cannot make a valid change are refused before anything starts;
 * on the stack, promote and rollback change what serves, and a refresh of the view run by
 * {@code jobs run-now --job publish} changes the view but not the answer.
 */
class ModelsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Usage(int exit, String err) {
    }

    private static Usage run(String... args) {
        CommandLine command = PlatformCommand.commandLine();
        StringWriter err = new StringWriter();
        command.setErr(new PrintWriter(err));
        command.setOut(new PrintWriter(new StringWriter()));
        List<String> all = new java.util.ArrayList<>(List.of("--home", "target/models-command-test", "models"));
        all.addAll(List.of(args));
        return new Usage(command.execute(all.toArray(String[]::new)), err.toString());
    }

    @Test
    void badOptionsAreUsageErrorsThatSayWhatIsWrong() {
        Usage shadowWithShare = run("challenger", "set", "--spec", "p.yaml", "--version", "2", "--mode", "shadow", "--share", "0.1", "--reason", "r");
        assertThat(shadowWithShare.exit()).isEqualTo(2);
        assertThat(shadowWithShare.err()).contains("--share is for --mode ab: a shadow challenger scores every key");

        Usage abWithoutShare = run("challenger", "set", "--spec", "p.yaml", "--version", "2", "--mode", "ab", "--reason", "r");
        assertThat(abWithoutShare.exit()).isEqualTo(2);
        assertThat(abWithoutShare.err()).contains("--mode ab needs --share");

        for (String share : List.of("0", "1.5", "-0.1", "NaN")) {
            Usage outOfRange = run("challenger", "set", "--spec", "p.yaml", "--version", "2", "--mode", "ab", "--share", share, "--reason", "r");
            assertThat(outOfRange.exit()).as(share).isEqualTo(2);
            assertThat(outOfRange.err()).contains("--share must be in (0, 1], got");
        }

        Usage unknownMode = run("challenger", "set", "--spec", "p.yaml", "--version", "2", "--mode", "canary", "--reason", "r");
        assertThat(unknownMode.exit()).isEqualTo(2);
        assertThat(unknownMode.err()).contains("--mode").contains("canary");

        Usage noReason = run("challenger", "clear", "--spec", "p.yaml");
        assertThat(noReason.exit()).isEqualTo(2);
        assertThat(noReason.err()).contains("--reason");

        Usage blankReason = run("challenger", "clear", "--spec", "p.yaml", "--reason", " ");
        assertThat(blankReason.exit()).isEqualTo(2);
        assertThat(blankReason.err()).contains("--reason must say why");

        Usage badVersion = run("challenger", "set", "--spec", "p.yaml", "--version", "0", "--mode", "shadow", "--reason", "r");
        assertThat(badVersion.exit()).isEqualTo(2);
        assertThat(badVersion.err()).contains("model versions start at 1, got 0");

        Usage promoteWithoutReason = run("promote", "--spec", "p.yaml", "--version", "2");
        assertThat(promoteWithoutReason.exit()).isEqualTo(2);
        assertThat(promoteWithoutReason.err()).startsWith("Missing required option: '--reason=TEXT'");
        Usage rollbackBlankReason = run("rollback", "--spec", "p.yaml", "--reason", "");
        assertThat(rollbackBlankReason.exit()).isEqualTo(2);
        assertThat(rollbackBlankReason.err()).startsWith("--reason must say why");
        Usage promoteWithoutVersion = run("promote", "--spec", "p.yaml", "--reason", "r");
        assertThat(promoteWithoutVersion.exit()).isEqualTo(2);
        assertThat(promoteWithoutVersion.err()).startsWith("Missing required option: '--version=V'");
    }

    /**
     * Promote and rollback as an operator runs them, against the real stack: two retrains register two
     * models; each change makes the query API (started in the background) and the running speed layer
     * score with the new champion within seconds, and both appear in the audit trail with their reason.
     */
    @Nested
    @LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG})
    class OnTheStack {

        /** The sample's unix_time runs 2013-06-21 to 2013-06-22. */
        private static final String CUTOFF = "2013-06-23T06:00:00Z";
        private static final String CARD = "2291163933867244";

        @Test
        void promoteAndRollbackChangeWhatTheApiScoresWithAndAreAudited(TestStack stack, @TempDir Path dir) throws Exception {
            String pipeline = stack.keyspace();
            Path root = Path.of(System.getProperty("tessera.root", "../.."));
            String example = Files.readString(root.resolve("examples/card_fraud/pipeline.yaml"))
                    .replace("pipeline: card_fraud", "pipeline: " + pipeline).replace("topic: transactions", "topic: " + pipeline)
                    .replace("view: card_fraud", "view: " + pipeline).replace("holdout: 20%", "holdout: 50%")
                    .replace("algorithm: gbt", "algorithm: logistic_regression");
            // two specs with the same features and two models: the view of either can be scored by both
            Path first = Files.writeString(dir.resolve("first.yaml"), example.replace("params: { maxIter: 50, maxDepth: 5 }", "params: { maxIter: 20 }"));
            Path second = Files.writeString(dir.resolve("second.yaml"), example.replace("params: { maxIter: 50, maxDepth: 5 }", "params: { maxIter: 2 }"));
            int port = freePort();
            String[] platform = {"--home", stack.settings().home().toString(), "--set", "serving.port=" + port, "--set",
                    "speed.rest.port=" + freePort()};
            try {
                assertThat(platform(platform, "ingest", "--spec", first.toString(), "--file",
                        root.resolve("examples/card_fraud/transactions.csv").toString()).exitCode()).isZero();
                assertThat(platform(platform, "retrain", "--spec", first.toString(), "--cutoff", CUTOFF).exitCode()).isZero();
                assertThat(platform(platform, "retrain", "--spec", second.toString(), "--cutoff", CUTOFF).exitCode()).isZero();
                Run serve = platform(platform, "serve", "--spec", first.toString(), "--background");
                assertThat(serve.exitCode()).as(serve.err()).isZero();
                Run speed = platform(platform, "speed", "start", "--spec", first.toString(), "--fresh");
                assertThat(speed.exitCode()).as(speed.err()).isZero();

                // whichever the gate made champion (if any): promote the other, then back, then roll back
                long gate = servingChampion(port, pipeline, -1);
                long one = gate == 1 ? 2 : 1;
                long other = 3 - one;
                Run promoted = platform(platform, "models", "promote", "--spec", first.toString(), "--version", Long.toString(one),
                        "--reason", "v" + one + " for the test");
                assertThat(promoted.exitCode()).as(promoted.err()).isZero();
                assertThat(promoted.out()).contains("champion    " + pipeline + " v" + one, "audit       ");
                assertThat(servingChampion(port, pipeline, one)).isEqualTo(one);
                JsonNode byOne = score(port, pipeline);
                assertThat(byOne.at("/score/model/version").asLong()).isEqualTo(one);
                assertThat(speedScore(stack, first, dir, port, pipeline, 1)).isEqualTo(one);

                assertThat(platform(platform, "models", "promote", "--spec", first.toString(), "--version", Long.toString(other),
                        "--reason", "v" + other + " next").exitCode()).isZero();
                assertThat(servingChampion(port, pipeline, other)).isEqualTo(other);
                JsonNode byOther = score(port, pipeline);
                assertThat(byOther.at("/score/model/version").asLong()).isEqualTo(other);
                assertThat(byOther.at("/score/value").asDouble()).isNotEqualTo(byOne.at("/score/value").asDouble());
                assertThat(speedScore(stack, first, dir, port, pipeline, 2)).isEqualTo(other);

                Run rolledBack = platform(platform, "models", "rollback", "--spec", first.toString(), "--reason", "v" + other + " misbehaves");
                assertThat(rolledBack.exitCode()).as(rolledBack.err()).isZero();
                assertThat(servingChampion(port, pipeline, one)).isEqualTo(one);
                assertThat(score(port, pipeline).at("/score").toString()).isEqualTo(byOne.at("/score").toString());
                assertThat(speedScore(stack, first, dir, port, pipeline, 3)).isEqualTo(one);

                // the scheduler's refresh of the batch view, run now through the real batch layer: the lake holds the speed layer's
                // three events since the view's snapshot; the new view's cut rounds down to a bucket's end, and the card's answer
                // (its batch row and realtime rows merged) is the same before and after
                String atAnHour = "/v1/pipelines/" + pipeline + "/entities/" + CARD + "?at=2013-06-23T13:00:00Z";
                JsonNode beforeRefresh = JSON.readTree(http(port, "GET", atAnHour, null));
                Run refreshed = platform(platform, "jobs", "run-now", "--spec", first.toString(), "--job", "publish");
                assertThat(refreshed.exitCode()).as(refreshed.out() + refreshed.err()).isZero();
                assertThat(refreshed.out()).contains("pipeline  " + pipeline + " (publish)", "state     succeeded after 1 attempt(s)");
                JsonNode afterRefresh = JSON.readTree(http(port, "GET", atAnHour, null));
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (afterRefresh.at("/provenance/view_version").asLong() == beforeRefresh.at("/provenance/view_version").asLong()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(500);   // the API reads the view serving every second
                    afterRefresh = JSON.readTree(http(port, "GET", atAnHour, null));
                }
                assertThat(afterRefresh.at("/provenance/view_version").asLong()).isGreaterThan(beforeRefresh.at("/provenance/view_version").asLong());
                assertThat(afterRefresh.at("/provenance/snapshot_id").asLong()).isNotEqualTo(beforeRefresh.at("/provenance/snapshot_id").asLong());
                assertThat(afterRefresh.at("/provenance/champion/version").asLong()).isEqualTo(one);
                assertThat(afterRefresh.at("/features")).as("the same events, counted once").isEqualTo(beforeRefresh.at("/features"));

                Run again = platform(platform, "models", "promote", "--spec", first.toString(), "--version", Long.toString(one), "--reason", "r");
                assertThat(again.exitCode()).isEqualTo(1);
                assertThat(again.err()).contains("champion not changed: v" + one + " is the champion already");

                Run list = platform(platform, "models", "list", "--spec", first.toString());
                assertThat(list.exitCode()).isZero();
                assertThat(list.out()).containsPattern("v" + one + " +champion +logistic_regression")
                        .containsPattern("v" + other + " +retired +logistic_regression");
                Run show = platform(platform, "models", "show", "--spec", first.toString(), "--version", Long.toString(other));
                assertThat(show.exitCode()).isZero();
                assertThat(show.out()).contains("status       retired", "checksum     sha256:")
                        .containsPattern("promoted +v" + one + " -> v" + other + " +by \\S+: v" + other + " next")
                        .containsPattern("rolled_back +v" + other + " -> v" + one + " +by \\S+: v" + other + " misbehaves");
            } finally {   // a failed assertion leaves no JVM behind
                new ServiceProcess(stack.settings(), "api").stop(Duration.ofSeconds(15));
                new ServiceProcess(stack.settings(), "speed-" + pipeline).stop(Duration.ofSeconds(15));
            }
        }

        /**
         * The model version of the speed layer's score of the {@code n}th event replayed through Kafka for
         * {@link #CARD}, as the API reads it from the realtime view (at most 120 s; 0 if none came).
         */
        private long speedScore(TestStack stack, Path spec, Path dir, int port, String pipeline, int n) throws Exception {
            Path root = Path.of(System.getProperty("tessera.root", "../.."));
            List<String> sample = Files.readAllLines(root.resolve("examples/card_fraud/transactions.csv"));
            long eventTime = 1_371_990_000L + 60L * n;   // after the sample, one a minute
            String[] columns = sample.get(1).split(",", -1);
            columns[19] = Long.toString(eventTime);
            Path file = Files.write(dir.resolve("event-" + n + ".csv"), List.of(sample.get(0), String.join(",", columns)));
            Replay.of(stack.kafkaBootstrap(), PipelineSpecs.load(spec), file).build().run();
            String expected = java.time.Instant.ofEpochSecond(eventTime).toString();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode score = JSON.readTree(http(port, "GET", "/v1/pipelines/" + pipeline + "/entities/" + CARD, null)).at("/score");
                if (score.at("/layer").asText().equals("realtime") && score.at("/event_time").asText().equals(expected)) {
                    return score.at("/model/version").asLong();
                }
                Thread.sleep(1000);
            }
            return 0;
        }

        /** The champion of the view the API serves, once it is {@code expected} (at most 15 s); any, for -1. */
        private long servingChampion(int port, String pipeline, long expected) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            long seen;
            do {
                JsonNode champion = JSON.readTree(http(port, "GET", "/v1/pipelines/" + pipeline, null)).at("/view/champion/version");
                seen = champion.isMissingNode() || champion.isNull() ? 0 : champion.asLong();
                if (expected == -1 || seen == expected) {
                    return seen;
                }
                Thread.sleep(500);
            } while (System.nanoTime() < deadline);
            return seen;
        }

        private JsonNode score(int port, String pipeline) throws Exception {
            String event = "{\"cc_num\": \"" + CARD + "\", \"amt\": 812.5, \"category\": \"shopping_net\", \"merchant\": \"fraud_Test\","
                    + " \"city_pop\": 1000, \"is_fraud\": 0, \"unix_time\": 1371990000}";
            return JSON.readTree(http(port, "POST", "/v1/pipelines/" + pipeline + "/entities/" + CARD + ":score", event));
        }

        private String http(int port, String method, String path, String body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
            request = body == null ? request.GET() : request.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body();
        }
    }
}
