package io.tessera.batch.lake;

import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Appends a few rows to a lake table with Spark: the demo's check that the batch layer reaches the lake. */
@Command(name = "smoke-write", description = "Append sample rows to an Iceberg table through the REST catalog.")
public final class SmokeWriteJob implements Callable<Integer> {

    @Option(names = "--catalog-uri", required = true)
    String catalogUri;

    @Option(names = "--master", defaultValue = "local[2]")
    String master;

    @Option(names = "--table", required = true, description = "namespace.table")
    String table;

    @Override
    public Integer call() {
        SparkSession spark = LakeSessions.open(master, catalogUri, "smoke-write");
        try {
            String namespace = table.substring(0, table.indexOf('.'));
            spark.sql("CREATE NAMESPACE IF NOT EXISTS " + LakeSessions.CATALOG + "." + namespace);
            spark.sql("CREATE TABLE IF NOT EXISTS " + LakeSessions.CATALOG + "." + table
                    + " (card STRING, amt DOUBLE, written_at TIMESTAMP) USING iceberg");
            spark.sql("INSERT INTO " + LakeSessions.CATALOG + "." + table
                    + " VALUES ('4111', 12.5, current_timestamp()), ('4222', 30.0, current_timestamp()), ('4111', 7.5, current_timestamp())");
            long rows = spark.table(LakeSessions.CATALOG + "." + table).count();
            System.out.printf("spark: appended 3 rows to lake.%s; it now holds %d rows%n", table, rows);
            return 0;
        } finally {
            spark.stop();
        }
    }
}
