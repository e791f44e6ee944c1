package io.tessera.batch.lake;

import org.apache.spark.sql.SparkSession;

/**
 * The one way the batch layer opens Spark: the Iceberg lake mounted as catalog {@code lake} through the
 * REST catalog, loopback-bound in local mode. The same code runs on a cluster: only the master and the
 * catalog URI differ.
 */
public final class LakeSessions {

    public static final String CATALOG = "lake";

    private LakeSessions() {
    }

    public static SparkSession open(String master, String catalogUri, String appName) {
        SparkSession.Builder builder = SparkSession.builder()
                .appName(appName)
                .master(master)
                .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                .config("spark.sql.catalog." + CATALOG, "org.apache.iceberg.spark.SparkCatalog")
                .config("spark.sql.catalog." + CATALOG + ".type", "rest")
                .config("spark.sql.catalog." + CATALOG + ".uri", catalogUri)
                .config("spark.sql.defaultCatalog", CATALOG)
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.ui.enabled", "false");
        if (master.startsWith("local")) {
            // everything binds loopback on one machine (docs/stack.md, "Binding")
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        return builder.getOrCreate();
    }
}
