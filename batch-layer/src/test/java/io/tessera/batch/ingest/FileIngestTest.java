package io.tessera.batch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.spec.SpecText;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@LocalStackTest(ServiceName.ICEBERG_CATALOG)
class FileIngestTest {

    private static final List<String> BAD_LINES = List.of(
            "9999,2020-06-21 12:30:00,4111,\"fraud_Open quote,misc_pos",                       // malformed CSV
            "9998,2020-06-21 12:31:00,4111,fraud_X,misc_pos,not-a-number,A,B,F,s,c,SC,1,1,1,1,j,1970-01-01,t1,1371817860,1,1,0",
            "9997,2020-06-21 12:32:00,,fraud_X,misc_pos,10.0,A,B,F,s,c,SC,1,1,1,1,j,1970-01-01,t2,1371817920,1,1,0");   // no card: no entity

    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }


    @Test
    void goodRecordsBecomeEventsBadOnesGoToQuarantineAndAReRunChangesNothing(TestStack stack, @TempDir Path dir) throws Exception {
        SpecText spec = BatchTestData.cardFraudSpec(stack.namespace());
        Path file = BatchTestData.sampleFile(dir, 300, BAD_LINES);

        IngestSummary first = new FileIngest(spark, spec).ingest(file);

        assertThat(first.events()).isEqualTo(300);
        assertThat(first.quarantined()).isEqualTo(Map.of("malformed", 1L, "bad_value", 1L, "missing_field", 1L));
        assertThat(first.skippedLines()).isEqualTo(1);
        String events = "lake." + stack.namespace() + ".events";
        assertThat(spark.table(events).count()).isEqualTo(300);
        Row quarantined = spark.sql("SELECT reason, detail FROM lake." + stack.namespace() + ".quarantine WHERE reason = 'bad_value'").first();
        assertThat(quarantined.getString(1)).contains("amt").contains("not-a-number");
        Row firstEvent = spark.sql("SELECT cc_num, amt, is_fraud, event_time, raw_record FROM " + events + " ORDER BY event_time LIMIT 1").first();
        assertThat(firstEvent.getString(0)).isEqualTo("2291163933867244");
        assertThat(firstEvent.getDouble(1)).isEqualTo(2.86);
        assertThat(firstEvent.getTimestamp(3).getTime()).isEqualTo(1371816865_000L);
        assertThat(firstEvent.getString(4)).startsWith("0,2020-06-21 12:14:25,2291163933867244");

        IngestSummary again = new FileIngest(spark, spec).ingest(file);

        assertThat(again.alreadyIngested()).isTrue();
        assertThat(spark.table(events).count()).isEqualTo(300);
        assertThat(spark.table("lake." + stack.namespace() + ".quarantine").count()).isEqualTo(3);
    }

    @Test
    void aFieldAddedToTheSpecEvolvesTheTableAndOldRowsReadNull(TestStack stack, @TempDir Path dir) throws Exception {
        new FileIngest(spark, BatchTestData.cardFraudSpec(stack.namespace())).ingest(BatchTestData.sampleFile(dir, 50, List.of()));

        new FileIngest(spark, BatchTestData.cardFraudSpec(stack.namespace(), "zip: string"))
                .ingest(BatchTestData.sampleFile(dir, 80, List.of()));

        String events = "lake." + stack.namespace() + ".events";
        assertThat(spark.table(events).columns()).contains("zip");
        assertThat(spark.sql("SELECT count(*) FROM " + events + " WHERE zip IS NULL").first().getLong(0)).isEqualTo(50);
        assertThat(spark.sql("SELECT count(*) FROM " + events + " WHERE zip = '29209'").first().getLong(0)).isPositive();
        assertThat(spark.table(events).count()).isEqualTo(130);
    }
}
