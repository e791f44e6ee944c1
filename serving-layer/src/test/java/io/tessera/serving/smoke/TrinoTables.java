package io.tessera.serving.smoke;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Test fixture: waits until Trino's Cassandra catalog sees a table another client just created. The
 * connector learns of schema changes from its driver's schema metadata, which is refreshed shortly
 * after the change, not at once; a query in between fails with "does not exist".
 */
public final class TrinoTables {

    private TrinoTables() {
    }

    /** @throws IllegalStateException if {@code catalog.schema.table} is not visible within 60 s */
    public static void await(String jdbcUrl, String catalog, String schema, String table) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Connection trino = DriverManager.getConnection(jdbcUrl, "tessera", null); Statement statement = trino.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + catalog + ".information_schema.tables"
                        + " WHERE table_schema = '" + schema + "' AND table_name = '" + table + "'")) {
                    if (rows.next() && rows.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException(catalog + "." + schema + "." + table + " is not visible through Trino after 60 s");
    }
}
