package io.tessera.batch.publish;

import java.sql.Timestamp;
import java.util.List;

import io.tessera.batch.lake.PipelineTables;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** A {@code publications} row as {@link BatchViewPublisher} records it, for tests that need a view naming a snapshot without serving. */
public final class PublicationsTestData {

    private PublicationsTestData() {
    }

    /** Records view {@code viewVersion} as published from {@code snapshotId} of {@code events}. */
    public static void recordView(SparkSession spark, PipelineTables tables, long viewVersion, long snapshotId) throws Exception {
        String table = tables.namespace() + ".publications";
        spark.sql("CREATE TABLE IF NOT EXISTS " + table + " (" + BatchViewPublisher.PUBLICATIONS.toDDL() + ") USING iceberg");
        Timestamp now = new Timestamp(System.currentTimeMillis());
        spark.createDataFrame(List.of(RowFactory.create(viewVersion, BatchViewPublisher.PUBLISHED, "fingerprint", snapshotId, now, 0L, 0L,
                now, null, null, 0L, now, "{}")), BatchViewPublisher.PUBLICATIONS).writeTo(table).append();
    }
}
