package io.tessera.batch;

import io.tessera.batch.lake.LakeSessions;
import io.tessera.stack.junit.TestStack;
import org.apache.spark.sql.SparkSession;

/**
 * One Spark session for every test of the JVM: starting one costs seconds, and a session stopped by one
 * test class would break the next (Spark allows one active context per JVM). Never stopped by tests;
 * Spark's shutdown hook ends it with the JVM.
 */
public final class TestSpark {

    /** Catalog URI of a session no test has pointed at the lake yet: a closed port, never contacted. */
    private static final String NO_LAKE = "http://127.0.0.1:9/no-lake";
    private static SparkSession spark;

    private TestSpark() {
    }

    /** The session, for tests that need Spark but not the lake. */
    public static synchronized SparkSession local() {
        if (spark == null) {
            spark = LakeSessions.open("local[2]", NO_LAKE, "batch-layer-tests");
        }
        return spark;
    }

    /** The session with catalog {@code lake} on the test stack's REST catalog (catalogs load on first use). */
    public static synchronized SparkSession lake(TestStack stack) {
        SparkSession session = local();
        session.conf().set("spark.sql.catalog." + LakeSessions.CATALOG + ".uri", stack.icebergCatalogUri());
        return session;
    }
}
