package io.tessera.batch.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import io.tessera.batch.TestSpark;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Spark (local mode) creates and appends to an Iceberg table through the REST catalog; Spark and Trino read it back. */
@LocalStackTest({ServiceName.ICEBERG_CATALOG, ServiceName.TRINO})
class SparkIcebergTrinoSmokeTest {

    @Test
    void sparkWritesIcebergAndTrinoReadsIt(TestStack stack) throws Exception {
        String table = tableOf(stack);
        SparkSession spark = TestSpark.lake(stack);
        spark.sql("CREATE NAMESPACE IF NOT EXISTS lake." + stack.namespace());
        spark.sql("CREATE TABLE " + table + " (card STRING, amt DOUBLE) USING iceberg");
        spark.sql("INSERT INTO " + table + " VALUES ('4111', 12.5), ('4111', 7.5), ('4222', 100.0)");
        spark.sql("INSERT INTO " + table + " VALUES ('4333', 1.0)");

        List<Row> sums = spark.sql("SELECT card, sum(amt) AS total FROM " + table + " GROUP BY card ORDER BY card").collectAsList();
        assertThat(sums).extracting(r -> r.getString(0) + "=" + r.getDouble(1))
                .containsExactly("4111=20.0", "4222=100.0", "4333=1.0");
        long snapshots = spark.sql("SELECT * FROM " + table + ".snapshots").count();
        assertThat(snapshots).isEqualTo(2);

        try (Connection trino = DriverManager.getConnection(stack.trinoJdbcUrl(), "tessera", null);
             Statement statement = trino.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*), sum(amt) FROM " + table)) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(4);
            assertThat(rows.getDouble(2)).isEqualTo(121.0);
        }
    }

    private static String tableOf(TestStack stack) {
        return "lake." + stack.namespace() + ".transactions";
    }
}
