package io.tessera.batch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
        assertThat(first.linesRead()).isEqualTo(304);
        String events = "lake." + stack.namespace() + ".events";
        assertThat(spark.table(events).count()).isEqualTo(300);
        Row quarantined = spark.sql("SELECT reason, detail FROM lake." + stack.namespace() + ".quarantine WHERE reason = 'bad_value'").first();
        assertThat(quarantined.getString(1)).startsWith("line 303: ").contains("amt").contains("not-a-number");
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
    void withoutAnEventIdOverlappingFilesAreAppendedTwiceAndTheSummarySaysSo(TestStack stack, @TempDir Path dir) throws Exception {
        SpecText spec = BatchTestData.cardFraudSpec(stack.namespace());
        new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 50, List.of()));

        IngestSummary overlapping = new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 80, List.of()));

        assertThat(overlapping.events()).isEqualTo(80);
        assertThat(overlapping.idField()).isEmpty();
        assertThat(overlapping.toString()).contains("no deduplication (the spec has no source.id");
        assertThat(spark.table("lake." + stack.namespace() + ".events").count()).isEqualTo(130);
    }

    @Test
    void withAnEventIdAnIdIsInTheLakeOnceWhateverTheFilesAndReSends(TestStack stack, @TempDir Path dir) throws Exception {
        SpecText spec = BatchTestData.cardFraudSpecWithEventId(stack.namespace());
        List<String> sample = Files.readAllLines(BatchTestData.exampleDir().resolve("transactions.csv"));
        Path first = write(dir, "first.csv", sample.subList(0, 101));                            // header + rows 1..100
        List<String> second = new ArrayList<>(sample.subList(51, 151));                          // rows 51..150: 50 already in
        second.add(0, sample.get(0));
        second.add(sample.get(120));                                                             // a re-send within the file
        second.add(sample.get(130).replaceFirst("^\\d+,", "777777,"));                              // a re-send, other content
        Path secondFile = write(dir, "second.csv", second);
        Path third = write(dir, "third.csv", List.of(sample.get(0), sample.get(10), sample.get(10)));   // only re-sends

        IngestSummary a = new FileIngest(spark, spec).ingest(first);
        IngestSummary b = new FileIngest(spark, spec).ingest(secondFile);
        IngestSummary c = new FileIngest(spark, spec).ingest(third);

        assertThat(a.events()).isEqualTo(100);
        assertThat(a.duplicates()).isZero();
        assertThat(b.events()).isEqualTo(50);
        assertThat(b.duplicates()).isEqualTo(52);
        assertThat(b.quarantinedTotal()).isZero();
        assertThat(b.linesRead()).isEqualTo(b.events() + b.duplicates() + b.quarantinedTotal() + b.skippedLines());
        assertThat(c.events()).isZero();
        assertThat(c.duplicates()).isEqualTo(2);
        assertThat(c.toString()).contains("2 duplicates not appended");
        String events = "lake." + stack.namespace() + ".events";
        assertThat(spark.table(events).count()).isEqualTo(150);
        assertThat(spark.sql("SELECT count(DISTINCT trans_num) FROM " + events).first().getLong(0)).isEqualTo(150);
        assertThat(spark.table("lake." + stack.namespace() + ".quarantine").count()).isZero();   // duplicates are not errors
    }

    @Test
    void aFieldAddedToTheSpecEvolvesTheTableAndOldRowsReadNull(TestStack stack, @TempDir Path dir) throws Exception {
        new FileIngest(spark, BatchTestData.cardFraudSpecWithEventId(stack.namespace())).ingest(BatchTestData.sampleFile(dir, 50, List.of()));

        String withZip = BatchTestData.cardFraudSpecWithEventId(stack.namespace()).yaml().replace("trans_num: string", "trans_num: string, zip: string");
        IngestSummary overlapping = new FileIngest(spark, SpecText.of(withZip, "zip.yaml")).ingest(BatchTestData.sampleFile(dir, 80, List.of()));

        String events = "lake." + stack.namespace() + ".events";
        assertThat(spark.table(events).columns()).contains("zip");
        assertThat(overlapping.events()).isEqualTo(30);
        assertThat(overlapping.duplicates()).isEqualTo(50);
        assertThat(spark.sql("SELECT count(*) FROM " + events + " WHERE zip IS NULL").first().getLong(0)).isEqualTo(50);
        assertThat(spark.sql("SELECT count(*) FROM " + events + " WHERE zip IS NOT NULL").first().getLong(0)).isEqualTo(30);
        assertThat(spark.table(events).count()).isEqualTo(80);
    }

    @Test
    void ofTwoConcurrentIngestsOfTheSameFileExactlyOneCommits(TestStack stack, @TempDir Path dir) throws Exception {
        SpecText spec = BatchTestData.cardFraudSpec(stack.namespace());   // no event id: only the commit validation stands between them
        Path file = BatchTestData.sampleFile(dir, 200, BAD_LINES);

        List<IngestSummary> outcomes = concurrently(spec, file, file);

        assertThat(outcomes).filteredOn(summary -> !summary.alreadyIngested()).hasSize(1);
        assertThat(outcomes).filteredOn(IngestSummary::alreadyIngested).singleElement()
                .satisfies(loser -> assertThat(loser.toString()).contains("was already ingested").contains("concurrent ingest"));
        assertThat(spark.table("lake." + stack.namespace() + ".events").count()).isEqualTo(200);
        assertThat(spark.table("lake." + stack.namespace() + ".quarantine").count()).isEqualTo(3);
        assertThat(spark.sql("SELECT count(*) FROM lake." + stack.namespace() + ".events.snapshots WHERE summary['"
                + FileIngest.INGEST_ID + "'] IS NOT NULL").first().getLong(0)).isEqualTo(1);
    }

    @Test
    void twoOverlappingFilesIngestedConcurrentlyStillHoldEachIdOnce(TestStack stack, @TempDir Path dir) throws Exception {
        SpecText spec = BatchTestData.cardFraudSpecWithEventId(stack.namespace());
        List<String> sample = Files.readAllLines(BatchTestData.exampleDir().resolve("transactions.csv"));
        Path a = write(dir, "a.csv", sample.subList(0, 121));
        List<String> rows = new ArrayList<>(sample.subList(61, 181));
        rows.add(0, sample.get(0));
        Path b = write(dir, "b.csv", rows);

        List<IngestSummary> outcomes = concurrently(spec, a, b);

        assertThat(outcomes).noneMatch(IngestSummary::alreadyIngested);
        assertThat(outcomes.stream().mapToLong(IngestSummary::events).sum()).isEqualTo(180);
        assertThat(outcomes.stream().mapToLong(IngestSummary::duplicates).sum()).isEqualTo(60);
        String events = "lake." + stack.namespace() + ".events";
        assertThat(spark.table(events).count()).isEqualTo(180);
        assertThat(spark.sql("SELECT count(DISTINCT trans_num) FROM " + events).first().getLong(0)).isEqualTo(180);
    }

    @Test
    void aMicrosecondTimestampAndAnInvalidUtf8LineAreQuarantinedAndTheRestGoesIn(TestStack stack, @TempDir Path dir) throws Exception {
        SpecText spec = BatchTestData.cardFraudSpec(stack.namespace());
        List<String> sample = Files.readAllLines(BatchTestData.exampleDir().resolve("transactions.csv"));
        String unixTime = sample.get(5).split(",")[19];
        String microseconds = sample.get(5).replace("," + unixTime + ",", "," + unixTime + "000000,");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String line : sample.subList(0, 21)) {
            bytes.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        bytes.writeBytes((microseconds + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes((BAD_LINES.get(1) + "\n").getBytes(StandardCharsets.UTF_8));
        String latin1 = sample.get(21);
        int cut = latin1.indexOf(',') + 1;
        bytes.writeBytes(latin1.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        long badByte = bytes.size();
        bytes.write(0xE1);                                                                     // a Latin-1 "á"
        bytes.writeBytes((latin1.substring(cut) + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes((sample.get(22) + "\n").getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("mixed.csv");
        Files.write(file, bytes.toByteArray());

        IngestSummary summary = new FileIngest(spark, spec).ingest(file);

        assertThat(summary.events()).isEqualTo(21);
        assertThat(summary.quarantined()).isEqualTo(Map.of("future_timestamp", 1L, "bad_value", 1L, "encoding", 1L));
        Row encoding = spark.sql("SELECT detail, raw_record FROM lake." + stack.namespace() + ".quarantine WHERE reason = 'encoding'").first();
        assertThat(encoding.getString(0)).startsWith("line 24, byte offset " + badByte + ": not valid UTF-8");
        assertThat(encoding.getString(1)).isEqualTo(latin1.substring(0, cut) + "\uFFFD" + latin1.substring(cut));
    }

    @Test
    void aBinaryOrEmptyFileIsRefusedWithOneLineSayingWhereAndNothingIsWritten(TestStack stack, @TempDir Path dir) throws Exception {
        SpecText spec = BatchTestData.cardFraudSpec(stack.namespace());
        Path binary = dir.resolve("photo.csv");
        Files.write(binary, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        Path empty = Files.createFile(dir.resolve("empty.csv"));

        assertThatThrownBy(() -> new FileIngest(spark, spec).ingest(binary)).isInstanceOf(UnreadableFileException.class)
                .hasMessage(binary + ": line 3, byte offset 8: a NUL byte; this is not a text file (expected CSV or JSON lines)");
        assertThatThrownBy(() -> new FileIngest(spark, spec).ingest(empty)).isInstanceOf(UnreadableFileException.class)
                .hasMessage(empty + ": the file is empty; a CSV file needs a header line");
        assertThat(spark.sql("SHOW NAMESPACES IN lake").filter("namespace = '" + stack.namespace() + "'").count()).isZero();
    }

    /** Two ingests held at their first commit until both have read and decoded: truly concurrent. */
    private static List<IngestSummary> concurrently(SpecText spec, Path first, Path second) throws Exception {
        CountDownLatch bothDecoded = new CountDownLatch(2);
        Runnable meet = () -> {
            bothDecoded.countDown();
            try {
                assertThat(bothDecoded.await(5, TimeUnit.MINUTES)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<IngestSummary> a = threads.submit(() -> new FileIngest(spark, spec, Clock.systemUTC(), meet).ingest(first));
            Future<IngestSummary> b = threads.submit(() -> new FileIngest(spark, spec, Clock.systemUTC(), meet).ingest(second));
            return List.of(a.get(10, TimeUnit.MINUTES), b.get(10, TimeUnit.MINUTES));
        } finally {
            threads.shutdownNow();
        }
    }

    private static Path write(Path dir, String name, List<String> lines) throws Exception {
        return Files.write(dir.resolve(name), lines);
    }
}
