package io.tessera.serving.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.Test;

/** A real Cassandra node written and read with the Java driver, and the same table read through Trino's serving catalog. */
@LocalStackTest({ServiceName.CASSANDRA, ServiceName.TRINO})
class CassandraThroughTrinoSmokeTest {

    @Test
    void writesAndReadsWithTheDriverThenThroughTrino(TestStack stack) throws Exception {
        String keyspace = stack.keyspace();
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(stack.host(), stack.cassandraPort()))
                .withLocalDatacenter("datacenter1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
                .build()) {
            session.execute("CREATE KEYSPACE " + keyspace + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE " + keyspace + ".scores (card text PRIMARY KEY, score double, model text)");
            session.execute("INSERT INTO " + keyspace + ".scores (card, score, model) VALUES ('4111', 0.25, 'gbt-v1')");
            session.execute("INSERT INTO " + keyspace + ".scores (card, score, model) VALUES ('4222', 0.75, 'gbt-v1')");

            Row row = session.execute("SELECT score, model FROM " + keyspace + ".scores WHERE card = '4222'").one();
            assertThat(row).isNotNull();
            assertThat(row.getDouble("score")).isEqualTo(0.75);
            assertThat(row.getString("model")).isEqualTo("gbt-v1");

            TrinoTables.await(stack.trinoJdbcUrl(), "serving", keyspace, "scores");
            List<String> viaTrino = new ArrayList<>();
            try (Connection trino = DriverManager.getConnection(stack.trinoJdbcUrl(), "tessera", null);
                 Statement statement = trino.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT card, score FROM serving." + keyspace + ".scores ORDER BY card")) {
                while (rows.next()) {
                    viaTrino.add(rows.getString("card") + "=" + rows.getDouble("score"));
                }
            }
            assertThat(viaTrino).containsExactly("4111=0.25", "4222=0.75");
            session.execute("DROP KEYSPACE " + keyspace);
        }
    }
}
