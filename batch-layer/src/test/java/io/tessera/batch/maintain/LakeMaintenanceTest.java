package io.tessera.batch.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.ingest.FileIngest;
import io.tessera.batch.ingest.IngestSummary;
import io.tessera.batch.lake.LakeSnapshot;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.PublicationsTestData;
import io.tessera.batch.registry.ModelRegistry;
import io.tessera.batch.registry.RegisteredModel;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance with a retention of zero (every snapshot old enough to expire) against a real Iceberg
 * catalog: what must survive survives, and an ingest stays idempotent once its snapshots are gone.
 */
@LocalStackTest(ServiceName.ICEBERG_CATALOG)
class LakeMaintenanceTest {

    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }

    @Test
    void aFileIngestedBeforeItsSnapshotsExpiredIsNotLoadedAgain(TestStack stack, @TempDir Path dir) throws Exception {
        SpecText spec = BatchTestData.cardFraudSpec(stack.namespace());
        PipelineTables tables = new PipelineTables(spark, spec.spec());
        Path file = BatchTestData.sampleFile(dir, 20, List.of());
        IngestSummary first = new FileIngest(spark, spec).ingest(file);
        new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 30, List.of()));
        // as if the first ingest had stopped between its events commit and its log row
        spark.sql("DELETE FROM " + tables.ingests() + " WHERE file_sha256 = '" + first.ingestId() + "'");

        List<LakeMaintenance.Step> steps = maintenance(tables).run();

        assertThat(step(steps, "ingest log").count()).isEqualTo(1);
        assertThat(step(steps, "expired").count()).isPositive();
        Table events = LakeSnapshot.load(spark, tables.events());
        events.refresh();
        assertThat(events.snapshot(first.eventsSnapshotId())).as("expired").isNull();
        spark.catalog().refreshTable(tables.events());
        assertThat(spark.sql("SELECT count(*) FROM " + tables.events() + ".snapshots WHERE summary['" + FileIngest.INGEST_ID + "'] = '"
                + first.ingestId() + "'").first().getLong(0)).as("no summary carries the file's marker any more").isZero();

        IngestSummary again = new FileIngest(spark, spec).ingest(file);

        assertThat(again.alreadyIngested()).isTrue();
        assertThat(again.detail()).contains("ingest log");
        assertThat(spark.table(tables.events()).count()).isEqualTo(50);
        assertThat(spark.sql("SELECT events, duplicates, quarantined, source FROM " + tables.ingests() + " WHERE file_sha256 = '"
                + first.ingestId() + "'").collectAsList()).singleElement()
                .satisfies(row -> assertThat(List.of(row.getLong(0), row.getLong(1), row.getLong(2), row.getString(3)))
                        .containsExactly(20L, 0L, 0L, file.getFileName().toString()));
    }

    @Test
    void snapshotsNamedByAModelOrAViewTheCutAndArtifactsSurviveAndAStaleIngestBranchGoes(TestStack stack, @TempDir Path dir)
            throws Exception {
        SpecText spec = BatchTestData.cardFraudSpec(stack.namespace());
        PipelineTables tables = new PipelineTables(spark, spec.spec());
        long unnamed = new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 10, List.of())).eventsSnapshotId();
        long trainedOn = new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 20, List.of())).eventsSnapshotId();
        long viewed = new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 30, List.of())).eventsSnapshotId();
        Table events = LakeSnapshot.load(spark, tables.events());
        events.updateProperties().set(SnapshotLineage.GENERATION, "1").commit();
        events.newAppend().set(SnapshotLineage.GENERATION, "1").set(SnapshotLineage.CHECKPOINT, "5").commit();   // a speed-layer commit
        new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 40, List.of()));
        ModelRegistry registry = new ModelRegistry(spark, tables);
        registry.ensure();
        registry.register(model(spec.spec().name(), trainedOn));
        PublicationsTestData.recordView(spark, tables, 1, viewed);
        long twoHoursAgo = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
        events.refresh();
        String stale = "ingest_0123456789ab_" + twoHoursAgo + "_1a2b3c4d";
        String running = "ingest_0123456789ab_" + System.currentTimeMillis() + "_5e6f7a8b";
        events.manageSnapshots().createBranch(stale, trainedOn).createBranch(running, viewed).commit();
        Path orphan = Path.of(URI.create(location(events) + "/data/orphan.parquet"));
        Path artifact = Path.of(URI.create(location(LakeSnapshot.load(spark, registry.table())) + "/v1/model.json"));
        for (Path old : List.of(orphan, artifact)) {
            Files.createDirectories(old.getParent());
            Files.writeString(old, "left behind");
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(4))));
        }

        List<LakeMaintenance.Step> dry = maintenance(tables).dryRun(true).run();

        assertThat(step(dry, "protected").count()).isEqualTo(2);
        assertThat(step(dry, "stale branches").count()).isEqualTo(1);
        assertThat(step(dry, "orphans").count()).isEqualTo(1);
        events.refresh();
        assertThat(events.snapshot(unnamed)).as("a dry run changes nothing").isNotNull();
        assertThat(events.refs()).containsKey(stale).doesNotContainKeys("model-v1", "view-v1");
        assertThat(orphan).exists();

        List<LakeMaintenance.Step> steps = maintenance(tables).run();

        events.refresh();
        assertThat(events.snapshot(unnamed)).as("named by nothing").isNull();
        assertThat(events.refs().get("model-v1").snapshotId()).isEqualTo(trainedOn);
        assertThat(events.refs().get("view-v1").snapshotId()).isEqualTo(viewed);
        assertThat(spark.sql("SELECT count(*) FROM " + tables.events() + " VERSION AS OF " + trainedOn).first().getLong(0)).isEqualTo(30);
        assertThat(spark.sql("SELECT count(*) FROM " + tables.events() + " VERSION AS OF 'view-v1'").first().getLong(0)).isEqualTo(60);
        assertThat(LakeSnapshot.current(spark, tables.events()).cut()).as("the ancestry back to the speed-layer commit is kept")
                .isEqualTo(new ServingCut(1, 5));
        assertThat(events.refs()).doesNotContainKey(stale).containsKey(running);
        assertThat(step(steps, "stale branches").count()).isEqualTo(1);
        assertThat(orphan).doesNotExist();
        assertThat(artifact).as("model artifacts share the registry's folder, outside its data folder").exists();
    }

    @Test
    void withoutARetentionEachTableKeepsItsOwnAndEveryTableItsNewestSpeedLayerCommit(TestStack stack, @TempDir Path dir) throws Exception {
        SpecText spec = BatchTestData.cardFraudSpec(stack.namespace());
        PipelineTables tables = new PipelineTables(spark, spec.spec());
        long first = new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 10, List.of())).eventsSnapshotId();
        Table ingests = LakeSnapshot.load(spark, tables.ingests());
        long firstLogged = ingests.currentSnapshot().snapshotId();
        Table events = LakeSnapshot.load(spark, tables.events());
        Table quarantine = LakeSnapshot.load(spark, tables.quarantine());
        for (Table streamed : List.of(events, quarantine)) {   // as the speed layer sets them, a millisecond instead of an hour
            streamed.updateProperties().set(TableProperties.MAX_SNAPSHOT_AGE_MS, "1").commit();
        }
        quarantine.newAppend().commit();
        long beforeSpeed = quarantine.currentSnapshot().snapshotId();
        quarantine.newAppend().set(SnapshotLineage.GENERATION, "1").set(SnapshotLineage.CHECKPOINT, "7").commit();   // the speed layer's last commit
        long speedCommit = quarantine.currentSnapshot().snapshotId();
        quarantine.newAppend().commit();   // a later ingest's
        new FileIngest(spark, spec).ingest(BatchTestData.sampleFile(dir, 20, List.of()));
        Thread.sleep(5);

        List<LakeMaintenance.Step> steps = new LakeMaintenance(spark, tables, Clock.systemUTC()).keepingLast(1).run();

        events.refresh();
        quarantine.refresh();
        ingests.refresh();
        assertThat(events.snapshot(first)).as("events: its own retention, a millisecond").isNull();
        assertThat(quarantine.snapshot(beforeSpeed)).as("quarantine: its own retention").isNull();
        assertThat(quarantine.snapshot(speedCommit)).as("quarantine: back to the speed layer's newest commit").isNotNull();
        assertThat(ingests.snapshot(firstLogged)).as("the ingest log: the default retention, 7 days").isNotNull();
        assertThat(step(steps, "expired").detail()).contains("snapshots older than 7d").contains("history.expire.max-snapshot-age-ms")
                .contains("where the speed layer's committer resumes");
    }

    private static LakeMaintenance maintenance(PipelineTables tables) {
        return new LakeMaintenance(spark, tables, Clock.systemUTC()).retaining(Duration.ZERO).keepingLast(1);
    }

    private static LakeMaintenance.Step step(List<LakeMaintenance.Step> steps, String action) {
        return steps.stream().filter(step -> step.action().equals(action)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + action + " in " + steps));
    }

    private static String location(Table table) {
        return table.location().replaceFirst("^file:/+", "file:///");
    }

    private static RegisteredModel model(String pipeline, long trainingSnapshot) {
        Timestamp now = new Timestamp(System.currentTimeMillis());
        return new RegisteredModel(pipeline, 1, RegisteredModel.CHAMPION, "binary_classification", "gbt", "{}", Map.of(), trainingSnapshot,
                now, "/nowhere/v1/model.json", "sha", "test", "run-1", now);
    }
}
