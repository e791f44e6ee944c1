package io.tessera.serving.api;

import static io.tessera.serving.store.ServingFixtures.HOUR;
import static io.tessera.serving.store.ServingFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.Score;
import io.tessera.featurestore.contract.SnapshotRef;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.serving.sql.TrinoViews;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.RealtimeRow;
import io.tessera.serving.store.ServingFixtures;
import io.tessera.serving.store.ServingStore;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** For sampled keys, {@code lake.<pipeline>.current} through Trino gives the score and provenance the API gives. */
@LocalStackTest({ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG, ServiceName.TRINO})
class TrinoViewsTest {

    @Test
    void theCurrentViewAndTheApiAgreeOnScoreAndProvenance(TestStack stack, @TempDir Path dir) throws Exception {
        try (QueryServerTest.Served served = QueryServerTest.serve(stack, dir, ApiKeys.none())) {
            String pipeline = served.spec().name();
            // the speed layer scored a newer event of 4111: its score must win in both
            FeaturePlan plan = FeaturePlan.of(served.spec());
            EntityTiles tiles = plan.newEntity();
            plan.add(tiles, ServingFixtures.event("4111", T0 + 2 * HOUR, 50.0, "m3"), Long.MIN_VALUE);
            Score speed = new Score(0.625, new Provenance(Optional.of(new Provenance.ModelRef(pipeline, 1, Provenance.Role.CHAMPION)), 1,
                    new SnapshotRef(1010, 10, T0 + 10), T0 + 2 * HOUR, Provenance.Layer.REALTIME));
            try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), pipeline,
                    served.spec().serving().view())) {
                store.realtimeWriter().write(new RealtimeRow("4111", 1, 1, EntityTilesCodec.encode(plan, tiles)), speed, Instant.now());
            }
            io.tessera.serving.smoke.TrinoTables.await(stack.trinoJdbcUrl(), "serving", pipeline, "realtime_view");
            try (Connection trino = DriverManager.getConnection(stack.trinoJdbcUrl(), "tessera", null);
                 Statement statement = trino.createStatement()) {
                for (String sql : TrinoViews.statements(served.spec())) {
                    statement.execute(sql);
                }
                ObjectMapper json = new ObjectMapper();
                HttpClient http = HttpClient.newHttpClient();
                for (String card : new String[] {"4111", "4222"}) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(served.base() + "/v1/pipelines/" + pipeline
                            + "/entities/" + card)).build(), HttpResponse.BodyHandlers.ofString());
                    JsonNode score = json.readTree(response.body()).get("score");
                    try (ResultSet row = statement.executeQuery("SELECT score, model, model_version, role, layer,"
                            + " to_iso8601(event_time), view_version, snapshot_id FROM lake." + pipeline + ".current WHERE entity = '" + card + "'")) {
                        assertThat(row.next()).isTrue();
                        assertThat(row.getDouble(1)).as(card).isEqualTo(score.get("value").asDouble());
                        assertThat(row.getString(2)).isEqualTo(score.get("model").get("name").asText());
                        assertThat(row.getLong(3)).isEqualTo(score.get("model").get("version").asLong());
                        assertThat(row.getString(4)).isEqualTo(score.get("model").get("role").asText());
                        assertThat(row.getString(5)).isEqualTo(score.get("layer").asText());
                        assertThat(Instant.parse(row.getString(6).replace(".000000", ""))).isEqualTo(Instant.parse(score.get("event_time").asText()));
                        assertThat(row.getLong(7)).isEqualTo(score.get("view_version").asLong());
                        assertThat(row.getLong(8)).isEqualTo(score.get("snapshot_id").asLong());
                        assertThat(row.next()).isFalse();
                    }
                    assertThat(score.get("layer").asText()).isEqualTo(card.equals("4111") ? "realtime" : "batch");
                }
            }
        }
    }
}
