package io.tessera.serving.api;

import static io.tessera.serving.store.ServingFixtures.HOUR;
import static io.tessera.serving.store.ServingFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.tessera.featurestore.contract.ChallengerAssignment;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.TrafficSplit;
import io.tessera.featurestore.contract.TrainingProvenance;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelBody;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.model.Scorer;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.Task;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.serving.store.BatchViewRow;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.RealtimeRow;
import io.tessera.serving.store.ServingFixtures;
import io.tessera.serving.store.ServingStore;
import io.tessera.serving.store.ViewPublication;
import io.tessera.stack.LocalStack;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API against a real Cassandra node with a published view: answers, every error path, API
 * keys, the OpenAPI document through a real parser, random requests, and Cassandra stopped under it.
 */
@LocalStackTest(ServiceName.CASSANDRA)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<String, List<Event>> EVENTS = Map.of(
            "4111", List.of(ServingFixtures.event("4111", T0, 10.0, "m1"), ServingFixtures.event("4111", T0 + HOUR, 30.0, "m2")),
            "4222", List.of(ServingFixtures.event("4222", T0 + 2 * HOUR, 20.0, "m1")));

    /** A published view of {@link #EVENTS} with a real champion artifact, and a server in front of it. */
    record Served(QueryServer server, PipelineSpec spec, ModelArtifact champion, String base) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    /** The value of a series without labels in a Prometheus scrape. */
    private static double metric(String scrape, String series) {
        return scrape.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " is not in the scrape"));
    }

    static Served serve(TestStack stack, Path dir, ApiKeys keys) throws Exception {
        PipelineSpec spec = ServingFixtures.spec(stack.keyspace());
        FeatureLayout layout = FeatureLayout.of(spec, Map.of());
        double[] coefficients = new double[layout.size()];
        Arrays.fill(coefficients, 0.01);
        ModelArtifact champion = ModelArtifact.of(spec.name(), 1, Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, layout.names(),
                Map.of(), new ModelBody.Linear(coefficients, -2.0), Map.of(), Map.of("auc", 0.9),
                new TrainingProvenance(1, T0, "run", "lake.t.training_set", spec.fingerprint(), layout.fingerprint()).toMap());
        Path file = dir.resolve("model.json");
        ModelFormat.write(champion, file);
        CassandraTarget writes = CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort());
        try (ServingStore store = ServingStore.open(writes, spec.name(), spec.serving().view())) {
            publishOnce(spec, champion, file, store);
        }
        // what the API reads with: a short timeout, so that Cassandra down is a quick 503 (schema changes need the default's)
        ServingStore store = ServingStore.open(writes.withRequestTimeout(Duration.ofSeconds(2)), spec.name(), spec.serving().view());
        // with a cache of batch rows, as ServeMain serves: every answer below comes through it, most of them from it
        QueryServer server = QueryServer.start(QueryServer.Settings.local(0), List.of(new PipelineService(spec, store, 1 << 20)), keys);
        return new Served(server, spec, champion, "http://127.0.0.1:" + server.port());
    }

    private static void publishOnce(PipelineSpec spec, ModelArtifact champion, Path file, ServingStore store) throws Exception {
        store.migrate();
        if (store.current().isEmpty()) {
            List<BatchViewRow> rows = ServingFixtures.rows(spec, EVENTS, T0 + 3 * HOUR, 0.25);
            PublishedView view = ServingFixtures.view(spec, 1, 10, T0 + 3 * HOUR, ServingCut.NONE, rows.size(),
                    new ChampionRef(spec.name(), 1, file.toString(), ModelFormat.checksum(champion)));
            ViewPublication publication = store.newPublication(view);
            publication.rowsWritten(publication.rowWriter().write(rows.iterator()));
            publication.commit();
        }
    }

    @Test
    @Order(1)
    void answersAKeyWithMergedFeaturesScoreAndProvenance(TestStack stack, @TempDir Path dir) throws Exception {
        try (Served served = serve(stack, dir, ApiKeys.none())) {
            String p = served.spec().name();
            JsonNode card = ok(get(served.base() + "/v1/pipelines/" + p + "/entities/4111?at=" + java.time.Instant.ofEpochMilli(T0 + 3 * HOUR)));

            assertThat(card.get("features").get("n_24h").asDouble()).isEqualTo(2.0);
            assertThat(card.get("features").get("total_24h").asDouble()).isEqualTo(40.0);
            assertThat(card.get("features").get("amt").isNull()).as("no event is scored by a read by key").isTrue();
            assertThat(card.get("score").get("value").asDouble()).isEqualTo(0.25);
            assertThat(card.get("score").get("model").get("role").asText()).isEqualTo("champion");
            assertThat(card.get("score").get("layer").asText()).isEqualTo("batch");
            assertThat(card.get("provenance").get("snapshot_id").asLong()).isEqualTo(1010);
            assertThat(card.get("provenance").get("newest_event_time").asText()).isEqualTo(java.time.Instant.ofEpochMilli(T0 + HOUR).toString());
            assertThat(card.get("freshness_ms").asLong()).isEqualTo(2 * HOUR);

            JsonNode now = ok(get(served.base() + "/v1/pipelines/" + p + "/entities/4111"));
            assertThat(now.get("features").get("n_24h").asDouble()).as("read now, years later: the windows are empty").isZero();

            JsonNode batch = ok(post(served.base() + "/v1/pipelines/" + p + "/entities:batchGet",
                    "{\"keys\": [\"4222\", \"nope\", \"4111\"], \"at\": \"" + java.time.Instant.ofEpochMilli(T0 + 3 * HOUR) + "\"}"));
            assertThat(batch.get("results")).hasSize(3);
            assertThat(batch.get("results").get(0).get("features").get("n_24h").asDouble()).isEqualTo(1.0);
            assertThat(batch.get("results").get(1).get("error").get("code").asText()).isEqualTo("unknown_entity");
            assertThat(batch.get("results").get(2).get("entity").asText()).isEqualTo("4111");

            // a client that accepts gzip: one key's answer (a few KB) goes plain, a batch of 100 keys compressed
            HttpResponse<byte[]> one = HTTP.send(HttpRequest.newBuilder(URI.create(served.base() + "/v1/pipelines/" + p + "/entities/4111"))
                    .header("Accept-Encoding", "gzip").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(one.headers().firstValue("Content-Encoding")).isEmpty();
            HttpResponse<byte[]> hundred = HTTP.send(HttpRequest.newBuilder(URI.create(served.base() + "/v1/pipelines/" + p + "/entities:batchGet"))
                    .header("Accept-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"keys\": " + JSON.writeValueAsString(java.util.Collections.nCopies(100, "4111")) + "}"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(hundred.statusCode()).isEqualTo(200);
            assertThat(hundred.headers().firstValue("Content-Encoding")).contains("gzip");
            assertThat(JSON.readTree(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(hundred.body()))).get("results")).hasSize(100);

            JsonNode pipeline = ok(get(served.base() + "/v1/pipelines/" + p));
            assertThat(pipeline.get("view").get("view_version").asLong()).isEqualTo(1);
            assertThat(pipeline.get("view").get("champion").get("version").asLong()).isEqualTo(1);
            assertThat(ok(get(served.base() + "/v1/pipelines")).get("pipelines")).hasSize(1);
        }
    }

    @Test
    @Order(2)
    void scoresACandidateEventAsOfItsTimeWithTheChampion(TestStack stack, @TempDir Path dir) throws Exception {
        try (Served served = serve(stack, dir, ApiKeys.none())) {
            long time = T0 + 2 * HOUR;
            String event = "{\"card\": \"4111\", \"amt\": 500.0, \"merchant\": \"m9\", \"fraud\": 0, \"ts\": " + time + "}";
            JsonNode scored = ok(post(served.base() + "/v1/pipelines/" + served.spec().name() + "/entities/4111:score", event));

            FeaturePlan plan = FeaturePlan.of(served.spec());
            FeatureLayout layout = FeatureLayout.of(served.spec(), Map.of());
            EntityTiles tiles = plan.newEntity();
            EVENTS.get("4111").forEach(e -> plan.add(tiles, e));
            Event candidate = ServingFixtures.event("4111", time, 500.0, "m9");
            double expected = Scorer.of(served.champion()).score(layout.assemble(tiles, time, candidate));
            assertThat(scored.get("score").get("value").asDouble()).isEqualTo(expected);
            assertThat(scored.get("features").get("amt").asDouble()).isEqualTo(500.0);
            assertThat(scored.get("features").get("n_24h").asDouble()).isEqualTo(2.0);

            String base = served.base() + "/v1/pipelines/" + served.spec().name() + "/entities/";
            assertError(post(base + "4111:score", "{\"card\": \"4111\", \"amt\": \"lots\", \"merchant\": \"m9\", \"fraud\": 0, \"ts\": 1}"),
                    400, "bad_value");
            assertError(post(base + "4111:score", "{\"card\": \"4111\", \"merchant\": \"m9\", \"fraud\": 0, \"ts\": 1}"), 400, "missing_field");
            assertError(post(base + "4222:score", event), 400, "entity_mismatch");
            assertError(post(base + "4111:score", "[1, 2]"), 400, "malformed_event");
            assertError(post(base + "4111:rate", event), 404, "no_route");
        }
    }

    @Test
    @Order(2)
    void scoresACandidateWithTheChallengerBesideTheChampionInItsArm(TestStack stack, @TempDir Path dir) throws Exception {
        try (Served served = serve(stack, dir, ApiKeys.none())) {
            PipelineSpec spec = served.spec();
            FeatureLayout layout = FeatureLayout.of(spec, Map.of());
            double[] coefficients = new double[layout.size()];
            Arrays.fill(coefficients, -0.02);
            ModelArtifact challenger = ModelArtifact.of(spec.name(), 2, Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION,
                    layout.names(), Map.of(), new ModelBody.Linear(coefficients, 1.0), Map.of(), Map.of("auc", 0.91),
                    new TrainingProvenance(1, T0, "run2", "lake.t.training_set", spec.fingerprint(), layout.fingerprint()).toMap());
            Path file = dir.resolve("challenger.json");
            ModelFormat.write(challenger, file);
            ChampionRef model = new ChampionRef(spec.name(), 2, file.toString(), ModelFormat.checksum(challenger));
            // a share between the two keys' positions: exactly one of them is in the challenger's arm
            long p4111 = TrafficSplit.position("4111", 2);
            long p4222 = TrafficSplit.position("4222", 2);
            String in = p4111 < p4222 ? "4111" : "4222";
            String out = in.equals("4111") ? "4222" : "4111";
            double share = (Math.min(p4111, p4222) + Math.max(p4111, p4222)) / 2.0 / 4294967296.0;

            long time = T0 + 2 * HOUR;
            String base = served.base() + "/v1/pipelines/" + spec.name() + "/entities/";
            try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), spec.name(),
                    spec.serving().view())) {
                assertThat(store.recordChallenger(new ControlMessage.ChallengerSet(new ChallengerAssignment(spec.name(), 1, model,
                        ChallengerAssignment.Mode.AB, share, "try v2 on some keys", System.currentTimeMillis())))).isTrue();
                assertThat(store.recordChallenger(new ControlMessage.ChallengerCleared(spec.name(), 1, "a stale change", 1L)))
                        .as("a revision taken already").isFalse();

                JsonNode inArm = awaitScored(base, in, time, c -> c.get("challenger").isObject());
                double expectedChallenger = Scorer.of(challenger).score(candidateVector(spec, in, time));
                double expectedChampion = Scorer.of(served.champion()).score(candidateVector(spec, in, time));
                assertThat(inArm.get("score").get("model").get("role").asText()).isEqualTo("challenger");
                assertThat(inArm.get("score").get("value").asDouble()).isEqualTo(expectedChallenger);
                assertThat(inArm.get("scores")).hasSize(2);
                assertThat(inArm.get("scores").get(0).get("model").get("role").asText()).isEqualTo("champion");
                assertThat(inArm.get("scores").get(0).get("value").asDouble()).isEqualTo(expectedChampion);
                assertThat(inArm.get("scores").get(0).get("served").asBoolean()).isFalse();
                assertThat(inArm.get("scores").get(1).get("served").asBoolean()).isTrue();
                assertThat(inArm.get("challenger").get("mode").asText()).isEqualTo("ab");
                assertThat(inArm.get("challenger").get("served_to_this_key").asBoolean()).isTrue();

                JsonNode outOfArm = ok(post(base + out + ":score", candidate(out, time)));
                assertThat(outOfArm.get("score").get("model").get("role").asText()).isEqualTo("champion");
                assertThat(outOfArm.get("scores")).hasSize(1);
                assertThat(outOfArm.get("challenger").get("scores_this_key").asBoolean()).isFalse();

                // shadow: every key scored by the challenger, the champion served
                assertThat(store.recordChallenger(new ControlMessage.ChallengerSet(ChallengerAssignment.shadow(spec.name(), 2, model,
                        "watch v2 everywhere", System.currentTimeMillis())))).isTrue();
                for (String key : List.of(in, out)) {
                    JsonNode shadow = awaitScored(base, key, time, c -> c.get("challenger").isObject()
                            && c.get("challenger").get("mode").asText().equals("shadow"));
                    assertThat(shadow.get("score").get("model").get("role").asText()).isEqualTo("champion");
                    assertThat(shadow.get("scores")).hasSize(2);
                    assertThat(shadow.get("scores").get(1).get("model").get("role").asText()).isEqualTo("challenger");
                    assertThat(shadow.get("scores").get(1).get("value").asDouble())
                            .isEqualTo(Scorer.of(challenger).score(candidateVector(spec, key, time)));
                    assertThat(shadow.get("scores").get(1).get("served").asBoolean()).isFalse();
                }

                // an artifact that is not the one set: the champion stays served, and the answer says why
                ChampionRef tampered = new ChampionRef(spec.name(), 2, file.toString(), "0".repeat(64));
                assertThat(store.recordChallenger(new ControlMessage.ChallengerSet(new ChallengerAssignment(spec.name(), 3, tampered,
                        ChallengerAssignment.Mode.AB, 1.0, "all keys", System.currentTimeMillis())))).isTrue();
                JsonNode unavailable = awaitScored(base, in, time, c -> c.get("challenger").isObject()
                        && c.get("challenger").get("revision").asLong() == 3);
                assertThat(unavailable.get("score").get("model").get("role").asText()).isEqualTo("champion");
                assertThat(unavailable.get("challenger").get("unavailable").get("code").asText()).isEqualTo("challenger_changed");

                assertThat(store.recordChallenger(new ControlMessage.ChallengerCleared(spec.name(), 4, "done", System.currentTimeMillis())))
                        .isTrue();
                JsonNode cleared = awaitScored(base, in, time, c -> c.get("challenger").isNull());
                assertThat(cleared.get("scores")).hasSize(1);
                assertThat(cleared.get("score").get("model").get("role").asText()).isEqualTo("champion");
            }
        }
    }

    private static String candidate(String key, long time) {
        return "{\"card\": \"" + key + "\", \"amt\": 500.0, \"merchant\": \"m9\", \"fraud\": 0, \"ts\": " + time + "}";
    }

    /** The vector the API assembles for {@link #candidate}: the key's events of {@link #EVENTS} before it, and its own fields. */
    private static double[] candidateVector(PipelineSpec spec, String key, long time) {
        FeaturePlan plan = FeaturePlan.of(spec);
        EntityTiles tiles = plan.newEntity();
        EVENTS.get(key).forEach(e -> plan.add(tiles, e));
        return FeatureLayout.of(spec, Map.of()).assemble(tiles, time, ServingFixtures.event(key, time, 500.0, "m9"));
    }

    /** Scores the candidate until the answer shows a challenger change (the API reads it again within a second). */
    private static JsonNode awaitScored(String base, String key, long time, java.util.function.Predicate<JsonNode> seen) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode scored = ok(post(base + key + ":score", candidate(key, time)));
        while (!seen.test(scored)) {
            assertThat(System.nanoTime()).as("the API did not see the challenger change within 10 s: %s", scored).isLessThan(deadline);
            Thread.sleep(200);
            scored = ok(post(base + key + ":score", candidate(key, time)));
        }
        return scored;
    }

    @Test
    @Order(3)
    void everyErrorIsAJsonBodyWithAStatusAndACode(TestStack stack, @TempDir Path dir) throws Exception {
        try (Served served = serve(stack, dir, ApiKeys.none())) {
            String entities = served.base() + "/v1/pipelines/" + served.spec().name() + "/entities";
            assertError(get(entities + "/9999"), 404, "unknown_entity");
            assertError(get(served.base() + "/v1/pipelines/nope/entities/4111"), 404, "unknown_pipeline");
            assertError(get(entities + "/4111?at=yesterday"), 400, "malformed_at");
            assertError(get(entities + "/4111?at=" + (T0 - 1)), 400, "before_horizon");
            assertError(get(entities + "/" + "9".repeat(600)), 400, "malformed_key");
            assertError(get(entities + "/%09tab"), 400, "malformed_key");
            assertError(post(entities + ":batchGet", "{\"keys\": " + JSON.writeValueAsString(java.util.Collections.nCopies(101, "4111")) + "}"),
                    400, "batch_too_large");
            assertError(post(entities + ":batchGet", "{\"keys\": [4111]}"), 400, "malformed_key");
            assertError(post(entities + ":batchGet", "{not json"), 400, "malformed_json");
            assertError(post(entities + ":batchGet", "{\"keys\": [\"" + "x".repeat(70_000) + "\"]}"), 400, "body_too_large");
            assertError(get(served.base() + "/v2/anything"), 404, "no_route");
        }
    }

    @Test
    @Order(4)
    void apiKeysGateEachScopeAndNoServerBindsBeyondLoopbackWithout(TestStack stack, @TempDir Path dir) throws Exception {
        String[] reader = ApiKeys.newKey("dashboard", EnumSet.of(ApiKeys.Scope.READ));
        String[] scorer = ApiKeys.newKey("checkout", EnumSet.of(ApiKeys.Scope.READ, ApiKeys.Scope.SCORE));
        Path keysFile = dir.resolve("api-keys.properties");
        Files.write(keysFile, List.of(reader[1], scorer[1]));
        assertThat(Files.readString(keysFile)).doesNotContain(reader[0]).doesNotContain(scorer[0]);
        try (Served served = serve(stack, dir, ApiKeys.load(keysFile))) {
            String card = served.base() + "/v1/pipelines/" + served.spec().name() + "/entities/4111";
            String event = "{\"card\": \"4111\", \"amt\": 5.0, \"merchant\": \"m9\", \"fraud\": 0, \"ts\": " + (T0 + 2 * HOUR) + "}";
            assertError(get(card), 401, "unauthorized");
            assertError(send(HttpRequest.newBuilder(URI.create(card)).header(ApiKeys.HEADER, "tsk_guess").GET()), 401, "unauthorized");
            assertThat(send(HttpRequest.newBuilder(URI.create(card)).header(ApiKeys.HEADER, reader[0]).GET()).statusCode()).isEqualTo(200);
            assertError(send(HttpRequest.newBuilder(URI.create(card + ":score")).header(ApiKeys.HEADER, reader[0])
                    .POST(HttpRequest.BodyPublishers.ofString(event))), 403, "forbidden");
            assertThat(send(HttpRequest.newBuilder(URI.create(card + ":score")).header(ApiKeys.HEADER, scorer[0])
                    .POST(HttpRequest.BodyPublishers.ofString(event))).statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> QueryServer.start(new QueryServer.Settings("0.0.0.0", 0, 100, 65_536), List.of(), ApiKeys.none()))
                .hasMessageContaining("refusing to serve on 0.0.0.0 without API keys");
    }

    @Test
    @Order(5)
    void theOpenApiDocumentParsesAndDescribesEveryRouteAndMetricsCountRequests(TestStack stack, @TempDir Path dir) throws Exception {
        try (Served served = serve(stack, dir, ApiKeys.none())) {
            String document = get(served.base() + "/openapi.json").body();
            SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document);
            assertThat(parsed.getMessages()).isEmpty();
            assertThat(parsed.getOpenAPI().getPaths().keySet()).containsExactlyInAnyOrder("/health/live", "/health/ready", "/metrics",
                    "/openapi.json", "/v1/pipelines", "/v1/pipelines/{pipeline}", "/v1/pipelines/{pipeline}/entities/{key}",
                    "/v1/pipelines/{pipeline}/entities:batchGet");
            assertThat(ok(get(served.base() + "/health/ready")).get("status").asText()).isEqualTo("ready");
            get(served.base() + "/v1/pipelines/" + served.spec().name() + "/entities/9999");
            String metrics = get(served.base() + "/metrics").body();
            assertThat(metrics).contains("tessera_api_request_seconds_count{method=\"GET\",route=\"/v1/pipelines/{pipeline}/entities/{key}\",status=\"404\"}",
                    "tessera_cassandra_read_seconds", "tessera_api_errors_total");
            // a key of three realtime rows (a card the batch view does not hold): its read merges the three
            FeaturePlan plan = FeaturePlan.of(served.spec());
            try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), served.spec().name(),
                    served.spec().serving().view())) {
                for (long epoch = 1; epoch <= 3; epoch++) {
                    EntityTiles tiles = plan.newEntity();
                    plan.add(tiles, ServingFixtures.event("4999", T0 + epoch * HOUR, 10.0 * epoch, "m1"), Long.MIN_VALUE);
                    store.realtimeWriter().write(new RealtimeRow("4999", 1, epoch, EntityTilesCodec.encode(plan, tiles)), Instant.now());
                }
            }
            assertThat(ok(get(served.base() + "/v1/pipelines/" + served.spec().name() + "/entities/4999")).get("entity").asText()).isEqualTo("4999");
            assertThat(metric(get(served.base() + "/metrics").body(), "tessera_api_realtime_rows_max")).isEqualTo(3.0);
            // a body over the limit is answered before the API reads the request, and counted all the same
            assertError(post(served.base() + "/v1/pipelines/" + served.spec().name() + "/entities:batchGet", "{\"keys\": [\"" + "x".repeat(70_000)
                    + "\"]}"), 400, "body_too_large");
            assertThat(get(served.base() + "/metrics").body()).contains(
                    "tessera_api_request_seconds_count{method=\"POST\",route=\"/v1/pipelines/{pipeline}/entities:batchGet\",status=\"400\"}",
                    "tessera_api_errors_total{route=\"/v1/pipelines/{pipeline}/entities:batchGet\",status=\"400\"}");
        }
    }

    @Test
    @Order(6)
    void randomPathsKeysBodiesAndHeadersGetNoServerErrorNorAStackTrace(TestStack stack, @TempDir Path dir) throws Exception {
        Random random = new Random(42);
        String[] pieces = {"v1", "pipelines", stackPipeline(stack), "entities", "4111", "9999", ":score", "entities:batchGet", "%00", "%2F",
                "..", "%", "x".repeat(40), "\u00e9", "{key}", "health", "ready", "metrics", ";", "?at=", "?at=-1", "?at=99999999999999999"};
        String[] bodies = {"", "{}", "[]", "null", "{\"keys\": null}", "{\"keys\": [\"4111\"]}", "{\"keys\": [{}]}", "\"text\"", "{\"card\": 1}",
                "{\"card\": \"4111\", \"amt\": 1e400, \"merchant\": \"m\", \"fraud\": 0, \"ts\": 1}", "{\u0000}", "1".repeat(2000)};
        int requests = 0;
        try (Served served = serve(stack, dir, ApiKeys.none())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (requests < 2_000 && System.nanoTime() < deadline) {
                StringBuilder path = new StringBuilder();
                for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
                    path.append(i == 0 || random.nextInt(5) > 0 ? "/" : "").append(pieces[random.nextInt(pieces.length)]);
                }
                URI uri;
                try {
                    uri = URI.create(served.base() + path);
                } catch (IllegalArgumentException e) {
                    continue;   // not a URI a client could send
                }
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
                if (random.nextBoolean()) {
                    request.header(random.nextBoolean() ? "Content-Type" : ApiKeys.HEADER, random.nextBoolean() ? "application/json" : "\u00e9\u00e9");
                }
                String body = bodies[random.nextInt(bodies.length)];
                request = switch (random.nextInt(4)) {
                    case 0, 1 -> request.GET();
                    case 2 -> request.POST(HttpRequest.BodyPublishers.ofString(body));
                    default -> request.method(random.nextBoolean() ? "PUT" : "DELETE", HttpRequest.BodyPublishers.ofString(body));
                };
                HttpResponse<String> response;
                try {
                    response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                } catch (IllegalArgumentException e) {
                    continue;   // a header the client itself refuses to send
                }
                requests++;
                assertThat(response.statusCode()).as("%s %s", request.build().method(), uri).isLessThan(500);
                assertThat(response.body()).as("%s %s", request.build().method(), uri).doesNotContain("\tat ", "Exception");
            }
        }
        assertThat(requests).isGreaterThan(1_000);
    }

    @Test
    @Order(7)
    void cassandraStoppedIsA503WithinTheTimeoutAndServingResumesWhenItIsBack(TestStack stack, @TempDir Path dir) throws Exception {
        try (Served served = serve(stack, dir, ApiKeys.none())) {
            String card = served.base() + "/v1/pipelines/" + served.spec().name() + "/entities/4111";
            assertThat(get(card).statusCode()).isEqualTo(200);
            LocalStack local = new LocalStack(stack.settings(), System.out);
            local.down(Set.of(ServiceName.CASSANDRA));
            try {
                long start = System.nanoTime();
                assertError(get(card), 503, "cassandra_unavailable");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                assertThat(get(served.base() + "/health/ready").statusCode()).isEqualTo(503);
                assertThat(get(served.base() + "/health/live").statusCode()).isEqualTo(200);
            } finally {
                local.up(Set.of(ServiceName.CASSANDRA));
            }
            List<Integer> statuses = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                status = get(card).statusCode();
                statuses.add(status);
                Thread.sleep(500);
            }
            assertThat(status).as("statuses while Cassandra came back: %s", statuses).isEqualTo(200);
        }
    }

    private static String stackPipeline(TestStack stack) {
        return stack.keyspace();
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).as(response.body()).isEqualTo(code);
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    private static HttpResponse<String> get(String uri) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(uri)).GET());
    }

    private static HttpResponse<String> post(String uri, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(uri)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
