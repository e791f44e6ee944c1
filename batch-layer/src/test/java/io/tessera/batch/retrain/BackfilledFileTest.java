package io.tessera.batch.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.ingest.FileIngest;
import io.tessera.batch.ingest.IngestSummary;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.BatchViewPublisher;
import io.tessera.batch.publish.ControlChannel;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.ServingStore;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The held-out check of the batch layer's promises, on the real sample and the real lake: a spec with an
 * added field, an event id, a label known only later and features read as ingested takes the newer half
 * of the sample first, then a backfill of the older half that re-sends a few events; both files carry bad
 * lines. Every line is accounted for, the lake holds each event once, a re-run of the retrain is the same
 * run, and no training row sees an event that reached the lake after it did.
 */
@Tag("e2e")
@LocalStackTest
class BackfilledFileTest {

    private static final Instant CUTOFF = Instant.parse("2013-06-23T06:00:00Z");
    private static final long HOUR = 3_600_000L;
    private static final List<String> BAD_LINES = List.of(
            "9998,2020-06-21 12:31:00,4111,fraud_X,misc_pos,not-a-number,A,B,F,s,c,SC,1,1,1,1,j,1970-01-01,t1,1371817860,1,1,0",
            "9999,2020-06-21 12:30:00,4111,\"fraud_Open quote,misc_pos");
    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }

    @Test
    void linesReconcileEventsAreInOnceAReRunIsTheSameRunAndTrainingRowsSeeOnlyWhatWasIngestedBeforeThem(TestStack stack,
            @TempDir Path dir) throws Exception {
        String pipeline = stack.namespace();
        SpecText spec = SpecText.of(BatchTestData.cardFraudSpecWithEventId(pipeline).yaml()
                .replace("trans_num: string", "trans_num: string, zip: string")
                .replace("  tile: 1h", "  tile: 1h\n  point_in_time: ingestion_time")
                .replace("label: { field: is_fraud }", "label: { field: is_fraud, known_after: 6h }")
                .replace("    - { name: last_amt,        op: last,  of: amt }", """
                            - { name: last_amt,        op: last,  of: amt }
                            - { name: zips_7d,         op: approx_distinct, of: zip, windows: [7d] }
                            - { name: frauds_24h,      op: count, where: "is_fraud == 1", windows: [24h] }\
                        """), pipeline + ".yaml");
        List<String> lines = Files.readAllLines(BatchTestData.exampleDir().resolve("transactions.csv"));
        List<String> rows = lines.subList(1, lines.size());
        long split = rows.stream().mapToLong(BackfilledFileTest::unixTime).sorted().toArray()[rows.size() / 2];
        List<String> newer = rows.stream().filter(r -> unixTime(r) >= split).toList();
        List<String> older = rows.stream().filter(r -> unixTime(r) < split).toList();
        List<String> resent = newer.subList(0, 10);
        Path first = file(dir, "newer.csv", lines.get(0), newer, BAD_LINES);
        Path backfill = file(dir, "older.csv", lines.get(0), concat(older, resent), BAD_LINES.subList(0, 1));

        IngestSummary a = new FileIngest(spark, spec).ingest(first);
        IngestSummary b = new FileIngest(spark, spec).ingest(backfill);

        assertThat(a.events()).isEqualTo(newer.size());
        assertThat(a.quarantinedTotal()).isEqualTo(2);
        assertThat(b.events()).isEqualTo(older.size());
        assertThat(b.duplicates()).isEqualTo(resent.size());
        assertThat(b.quarantinedTotal()).isEqualTo(1);
        for (IngestSummary summary : List.of(a, b)) {
            assertThat(summary.linesRead()).as(summary.toString())
                    .isEqualTo(summary.events() + summary.duplicates() + summary.quarantinedTotal() + summary.skippedLines());
        }
        String events = "lake." + pipeline + ".events";
        assertThat(spark.table(events).count()).isEqualTo(rows.size());
        assertThat(spark.sql("SELECT count(DISTINCT trans_num) FROM " + events).first().getLong(0)).isEqualTo(rows.size());

        RetrainOutcome run = retrain(stack, spec);
        RetrainOutcome reRun = retrain(stack, spec);

        assertThat(reRun.resumed()).isTrue();
        assertThat(reRun.candidate().version()).isEqualTo(run.candidate().version());
        assertThat(reRun.publication().view().viewVersion()).isEqualTo(run.publication().view().viewVersion());
        assertThat(spark.table("lake." + pipeline + ".models").count()).isEqualTo(1);

        // each training row against a count by hand: the card's events in its 24h window ingested no later than it
        List<String> features = ModelFormat.read(Path.of(run.candidate().artifactLocation())).features();
        int count24h = features.indexOf("txn_count_24h");
        Map<String, List<long[]>> byCard = new HashMap<>();   // {event time, ingested at}
        spark.sql("SELECT cc_num, event_time, ingested_at FROM " + events).collectAsList().forEach(r -> byCard
                .computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new long[] {r.getTimestamp(1).getTime(), r.getTimestamp(2).getTime()}));
        List<Row> training = spark.sql("SELECT entity, event_time, features FROM lake." + pipeline + ".training_set WHERE run_key = '"
                + run.candidate().runKey() + "'").collectAsList();
        assertThat(training).hasSize(rows.size());
        int withoutTheBackfill = 0;
        for (Row row : training) {
            long t = row.getTimestamp(1).getTime();
            long windowStart = Math.floorDiv(t - 24 * HOUR, HOUR) * HOUR;
            List<long[]> card = byCard.get(row.getString(0));
            long ingestedAt = card.stream().filter(e -> e[0] == t).mapToLong(e -> e[1]).max().orElseThrow();
            long asIngested = card.stream().filter(e -> windowStart <= e[0] && e[0] < t && e[1] <= ingestedAt).count();
            long asHappened = card.stream().filter(e -> windowStart <= e[0] && e[0] < t).count();
            assertThat(row.<Double>getList(2).get(count24h)).as("%s at %s", row.getString(0), Instant.ofEpochMilli(t))
                    .isEqualTo((double) asIngested);
            withoutTheBackfill += asIngested != asHappened ? 1 : 0;
        }
        assertThat(withoutTheBackfill).as("rows of the newer file whose window reaches back into the backfill").isPositive();
    }

    private static long unixTime(String csvLine) {
        String[] columns = csvLine.split(",", -1);   // unix_time is 4th from the end; quoted commas come earlier
        return Long.parseLong(columns[columns.length - 4]);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Path file(Path dir, String name, String header, List<String> rows, List<String> bad) throws Exception {
        List<String> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        all.addAll(bad);
        return Files.write(dir.resolve(name), all);
    }

    private static RetrainOutcome retrain(TestStack stack, SpecText spec) throws Exception {
        try (ServingStore store = ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()),
                spec.spec().name(), spec.spec().serving().view())) {
            BatchViewPublisher publisher = new BatchViewPublisher(spark, new PipelineTables(spark, spec.spec()), store,
                    new ControlChannel(stack.kafkaBootstrap(), spec.spec().name()));
            return new Retrain(spark, spec, publisher).run(Optional.empty(), CUTOFF.toEpochMilli());
        }
    }
}
