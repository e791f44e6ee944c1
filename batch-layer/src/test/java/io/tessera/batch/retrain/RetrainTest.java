package io.tessera.batch.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.ingest.FileIngest;
import io.tessera.batch.lake.LakeSnapshot;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.BatchViewPublisher;
import io.tessera.batch.publish.ControlChannel;
import io.tessera.batch.publish.PublishOutcome;
import io.tessera.batch.registry.RegisteredModel;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.ServingStore;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch path end to end on the real sample, against the real stack: ingest, retrain, registry,
 * report, batch view in the lake and in Cassandra, a control message; a re-run finds its model and its
 * publication instead of making new ones; analysts see it all through Trino.
 */
@Tag("e2e")
@LocalStackTest
class RetrainTest {

    /** The sample's unix_time runs 2013-06-21 to 2013-06-22; the cutoff is the next morning. */
    private static final Instant CUTOFF = Instant.parse("2013-06-23T06:00:00Z");
    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }


    @Test
    void retrainsPublishesResumesAndNeverGoesBack(TestStack stack, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String pipeline = stack.namespace();
        SpecText spec = BatchTestData.cardFraudSpec(pipeline);
        new FileIngest(spark, spec).ingest(BatchTestData.exampleDir().resolve("transactions.csv"));

        RetrainOutcome first = retrain(stack, spec);

        assertThat(first.resumed()).isFalse();
        assertThat(first.candidate().version()).isEqualTo(1);
        // the sample's frauds all fall before its holdout (the latest 20%): AUC is undefined, the gate compares log loss,
        // and the first model (seeded: the same every run) does not beat the trivial baseline's; nothing may then score
        assertThat(first.candidate().status()).isEqualTo(RegisteredModel.REJECTED);
        assertThat(first.candidate().gateReason()).startsWith("Compared on log loss").contains("Not promoted");
        assertThat(first.champion()).isEmpty();
        assertThat(first.publication().view().champion()).isEmpty();
        Path artifact = Path.of(first.candidate().artifactLocation());
        assertThat(ModelFormat.read(artifact).features()).isEqualTo(first.publication().view().featureNames());
        assertThat(Files.readString(artifact.resolveSibling("report.html"))).contains("v1");
        assertThat(first.publication().view().entities()).isEqualTo(879);   // the sample's distinct cards
        assertThat(first.publication().status()).isEqualTo(PublishOutcome.Status.SWITCHED);
        assertThat(servedVersion(stack, spec)).isEqualTo(first.publication().view().viewVersion());

        // a comment-only edit is the same spec: the run resumes, nothing is trained or published again
        SpecText commented = SpecText.of("# reviewed on a Monday\n" + spec.yaml().replace("  max_lateness: 1h", "  max_lateness:  1h  # fine"),
                "commented.yaml");
        RetrainOutcome again = retrain(stack, commented, Optional.empty());

        assertThat(again.resumed()).isTrue();
        assertThat(again.candidate().version()).isEqualTo(1);
        assertThat(again.publication().view().viewVersion()).isEqualTo(first.publication().view().viewVersion());
        assertThat(again.publication().status()).isEqualTo(PublishOutcome.Status.ALREADY_SERVING);
        assertThat(spark.table("lake." + pipeline + ".models").count()).isEqualTo(1);

        // more data, a newer view; then a re-run of the first (S, T) must not take serving back
        long firstSnapshot = first.publication().view().snapshot().id();
        new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 0, List.of(later())));
        RetrainOutcome newer = retrain(stack, spec, Optional.empty());
        assertThat(newer.publication().status()).isEqualTo(PublishOutcome.Status.SWITCHED);
        long newerVersion = newer.publication().view().viewVersion();

        RetrainOutcome older = retrain(stack, spec, Optional.of(firstSnapshot));

        assertThat(older.publication().status()).isEqualTo(PublishOutcome.Status.SUPERSEDED);
        assertThat(servedVersion(stack, spec)).isEqualTo(newerVersion);

        try (Connection trino = DriverManager.getConnection(stack.trinoJdbcUrl(), "tessera", null)) {
            assertThat(single(trino, "SELECT count(*) FROM lake." + pipeline + ".training_set WHERE run_key = '"
                    + first.candidate().runKey() + "'")).isEqualTo("5116");
            assertThat(single(trino, "SELECT count(*) FROM lake." + pipeline + ".models WHERE version = 1")).isEqualTo("1");
            assertThat(single(trino, "SELECT count(DISTINCT entity) FROM lake." + pipeline + ".batch_view b JOIN lake." + pipeline
                    + ".publications p ON b.view_version = p.view_version")).isEqualTo("879");
        }
    }

    @Test
    void aReRunTheSameDayWithoutACutoffIsTheSameRun(TestStack stack) throws Exception {
        SpecText spec = BatchTestData.cardFraudSpec(stack.namespace());   // schedule: { retrain: "0 2 * * *" }
        new FileIngest(spark, spec).ingest(BatchTestData.exampleDir().resolve("transactions.csv"));

        RetrainOutcome nightly = retrainAt(stack, spec, Instant.parse("2025-01-10T02:03:00Z"));
        RetrainOutcome afterACrash = retrainAt(stack, spec, Instant.parse("2025-01-10T19:45:10Z"));

        assertThat(nightly.publication().view().cutoff()).isEqualTo(Instant.parse("2025-01-10T02:00:00Z").toEpochMilli());
        assertThat(afterACrash.resumed()).isTrue();
        assertThat(afterACrash.candidate().version()).isEqualTo(nightly.candidate().version());
        assertThat(afterACrash.publication().status()).isEqualTo(PublishOutcome.Status.ALREADY_SERVING);
        assertThat(afterACrash.publication().view().viewVersion()).isEqualTo(nightly.publication().view().viewVersion());
        assertThat(spark.table("lake." + stack.namespace() + ".models").count()).isEqualTo(1);
        assertThat(spark.table("lake." + stack.namespace() + ".publications").count()).isEqualTo(1);
    }

    @Test
    void aReRunFindsItsModelAfterLaterEventsArrivedAndTrainsAgainAfterAnEarlierOne(TestStack stack, @TempDir Path dir) throws Exception {
        String pipeline = stack.namespace();
        SpecText spec = BatchTestData.cardFraudSpec(pipeline);
        new FileIngest(spark, spec).ingest(BatchTestData.exampleDir().resolve("transactions.csv"));
        RetrainOutcome crashedAfterTraining = retrain(stack, spec);

        // the speed layer appends the events of after the cutoff meanwhile (here one, from a file), and commits a checkpoint without any
        new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 0, List.of(lineAt(CUTOFF.plusSeconds(3600)))));
        LakeSnapshot.load(spark, "lake." + pipeline + ".events").newAppend().set(SnapshotLineage.GENERATION, "1")
                .set(SnapshotLineage.CHECKPOINT, "4").commit();
        RetrainOutcome reRun = retrain(stack, spec);

        assertThat(reRun.resumed()).as("the same events before the cutoff: the same run").isTrue();
        assertThat(reRun.candidate().version()).isEqualTo(crashedAfterTraining.candidate().version());
        assertThat(reRun.publication().view().snapshot().id()).as("its view of the newer snapshot")
                .isEqualTo(LakeSnapshot.current(spark, "lake." + pipeline + ".events").ref().id())
                .isNotEqualTo(crashedAfterTraining.publication().view().snapshot().id());
        assertThat(reRun.publication().status()).isEqualTo(PublishOutcome.Status.SWITCHED);
        assertThat(spark.table("lake." + pipeline + ".models").count()).isEqualTo(1);

        // a late event from before the cutoff changes what the run learns from
        new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 0, List.of(lineAt(CUTOFF.minusSeconds(3600)))));
        RetrainOutcome afterALateEvent = retrain(stack, spec);

        assertThat(afterALateEvent.resumed()).isFalse();
        assertThat(afterALateEvent.candidate().version()).isEqualTo(crashedAfterTraining.candidate().version() + 1);
    }

    @Test
    void aRejectedCandidateLeavesTheChampionAndTheServedScoresUntouched(TestStack stack) throws Exception {
        String pipeline = stack.namespace();
        // a holdout of the latest half holds 3 of the sample's 18 frauds: AUC is defined, and the first model beats the baseline's
        SpecText spec = SpecText.of(BatchTestData.cardFraudSpec(pipeline).yaml().replace("  holdout: 20%", "  holdout: 50%"), "half.yaml");
        new FileIngest(spark, spec).ingest(BatchTestData.exampleDir().resolve("transactions.csv"));
        RetrainOutcome first = retrain(stack, spec);
        assertThat(first.candidate().status()).isEqualTo(RegisteredModel.CHAMPION);
        RegisteredModel champion = first.candidate();
        long servedBefore = servedVersion(stack, spec);

        // the same features, a gate no candidate can pass: log loss is never negative
        SpecText strict = SpecText.of(spec.yaml().replace("  metric: auc", "  metric: logloss")
                .replace("promote_if: \"candidate >= champion - 0.005\"", "promote_if: \"candidate < 0.0\""), "strict.yaml");
        assertThat(strict.spec().fingerprint()).isNotEqualTo(spec.spec().fingerprint());
        RetrainOutcome rejected = retrain(stack, strict);

        assertThat(rejected.candidate().version()).isEqualTo(2);
        assertThat(rejected.candidate().status()).isEqualTo(RegisteredModel.REJECTED);
        assertThat(rejected.candidate().gateReason()).startsWith("Not promoted");
        assertThat(rejected.champion()).map(c -> c.version() + " " + c.status() + " " + c.checksum())
                .contains(champion.version() + " champion " + champion.checksum());
        assertThat(spark.sql("SELECT version, status FROM lake." + pipeline + ".models WHERE status = 'champion'").collectAsList())
                .extracting(row -> row.getLong(0)).containsExactly(champion.version());
        try (ServingStore store = serving(stack, strict)) {
            PublishedView served = store.current().orElseThrow().view();
            assertThat(served.champion()).map(ChampionRef::version).contains(champion.version());
            assertThat(scores(pipeline, served.viewVersion())).isEqualTo(scores(pipeline, servedBefore)).isNotEmpty();
        }
    }

    private static java.util.Map<String, Double> scores(String pipeline, long viewVersion) {
        java.util.Map<String, Double> scores = new java.util.TreeMap<>();
        spark.sql("SELECT entity, score FROM lake." + pipeline + ".batch_view WHERE view_version = " + viewVersion).collectAsList()
                .forEach(row -> scores.put(row.getString(0), row.isNullAt(1) ? null : row.getDouble(1)));
        return scores;
    }

    private static RetrainOutcome retrainAt(TestStack stack, SpecText spec, Instant now) throws Exception {
        try (ServingStore store = serving(stack, spec)) {
            BatchViewPublisher publisher = new BatchViewPublisher(spark, new PipelineTables(spark, spec.spec()), store,
                    new ControlChannel(stack.kafkaBootstrap(), spec.spec().name()));
            return new Retrain(spark, spec, publisher).run(Optional.empty(), Optional.empty(), java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
        }
    }

    private static RetrainOutcome retrain(TestStack stack, SpecText spec) throws Exception {
        return retrain(stack, spec, Optional.empty());
    }

    private static RetrainOutcome retrain(TestStack stack, SpecText spec, Optional<Long> snapshot) throws Exception {
        String pipeline = spec.spec().name();
        try (ServingStore store = serving(stack, spec)) {
            BatchViewPublisher publisher = new BatchViewPublisher(spark, new PipelineTables(spark, spec.spec()), store,
                    new ControlChannel(stack.kafkaBootstrap(), pipeline));
            return new Retrain(spark, spec, publisher).run(snapshot, CUTOFF.toEpochMilli());
        }
    }

    private static ServingStore serving(TestStack stack, SpecText spec) {
        return ServingStore.open(CassandraTarget.parse(stack.host() + ":" + stack.cassandraPort()), spec.spec().name(),
                spec.spec().serving().view());
    }

    private static long servedVersion(TestStack stack, SpecText spec) {
        try (ServingStore store = serving(stack, spec)) {
            return store.current().orElseThrow().version();
        }
    }

    /** One transaction a day after the sample, on a card of the sample: a new snapshot with new facts. */
    private static String later() throws Exception {
        String[] columns = firstLine().split(",", -1);
        return lineAt(Instant.ofEpochSecond(Long.parseLong(columns[19]) + 86_400));
    }

    /** The sample's first transaction again, at {@code time}. */
    private static String lineAt(Instant time) throws Exception {
        String line = firstLine();
        String[] columns = line.split(",", -1);
        return line.replaceFirst("^0,", "900001,").replace("," + columns[19] + ",", "," + time.getEpochSecond() + ",");
    }

    private static String firstLine() throws Exception {
        return java.nio.file.Files.readAllLines(BatchTestData.exampleDir().resolve("transactions.csv")).get(1);
    }

    private static String single(Connection connection, String sql) throws Exception {
        try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
