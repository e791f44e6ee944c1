package io.tessera.batch.backfill;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tessera.batch.features.BatchFeatures;
import io.tessera.batch.lake.LakeSnapshot;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.registry.ModelRegistry;
import io.tessera.batch.registry.RegisteredModel;
import io.tessera.batch.retrain.TrainingSets;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Features as of past cutoffs, computed into {@link FeatureHistory}: for each cutoff T from {@code from}
 * to {@code to} every {@code every}, each key's features at T from the events before T in the current
 * lake snapshot, by the same code as the nightly batch view ({@link BatchFeatures#view}). The one_hot
 * columns are the champion's, so a backtest can score the rows with it; without a champion they are
 * learned from the events before each T. With training sets, also the rows a retrain of (S, T) would train
 * on, into {@link TrainingSets} under that retrain's run key (vocabularies learned before T, as the
 * retrain learns them): a later retrain of the same snapshot and cutoff trains on them as they are.
 * Resumable: a cutoff committed by an earlier run with the same plan is skipped, and so is a training
 * set already stored. One backfill of a pipeline at a time (two would both compute a missing cutoff).
 */
public final class Backfill {

    /** What a run did: cutoffs whose features it computed or found, and those whose training set it wrote. */
    public record Outcome(List<Instant> computed, List<Instant> skipped, long rows, long snapshotId, List<Instant> trainingSets) {
    }

    /** What a run reports as it goes: each cutoff computed or skipped. */
    public interface Progress {
        void started(int cutoffs);

        void cutoff(Instant cutoff, boolean skipped, long rows);
    }

    private final SparkSession spark;
    private final SpecText spec;
    private final PipelineTables tables;
    private final FeatureHistory history;
    private final BatchFeatures features;
    private final TrainingSets trainingSets;

    public Backfill(SparkSession spark, SpecText spec) {
        this.spark = spark;
        this.spec = spec;
        this.tables = new PipelineTables(spark, spec.spec());
        this.history = new FeatureHistory(spark, tables);
        this.features = new BatchFeatures(spark, spec);
        this.trainingSets = new TrainingSets(spark, tables, features);
    }

    public String table() {
        return history.table();
    }

    public String trainingSetTable() {
        return trainingSets.table();
    }

    /** The cutoffs {@code from}, {@code from + every}, ... up to and including {@code to}. */
    public static List<Instant> cutoffs(Instant from, Instant to, Duration every) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("--every must be positive, got " + every);
        }
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        List<Instant> cutoffs = new ArrayList<>();
        for (Instant t = from; !t.isAfter(to); t = t.plus(every)) {
            cutoffs.add(t);
        }
        return cutoffs;
    }

    /** @param withTrainingSets also each cutoff's training set, as a retrain of the current snapshot and that cutoff writes it */
    public Outcome run(List<Instant> cutoffs, boolean withTrainingSets, Progress progress) {
        tables.ensure();
        history.ensure();
        if (withTrainingSets) {
            trainingSets.ensure();
        }
        String plan = FeaturePlan.of(spec.spec()).fingerprint().hex();
        Set<Instant> done = history.done(plan);
        LakeSnapshot snapshot = LakeSnapshot.current(spark, tables.events());
        Map<String, List<String>> championVocabularies = champion().map(model -> ModelFormat.read(Path.of(model.artifactLocation())).vocabularies())
                .orElse(null);
        Dataset<Row> events = features.events(tables.events(), snapshot.ref().id()).persist(StorageLevel.MEMORY_AND_DISK());
        List<Instant> computed = new ArrayList<>();
        List<Instant> skipped = new ArrayList<>();
        List<Instant> trained = new ArrayList<>();
        long rows = 0;
        progress.started(cutoffs.size());
        try {
            for (Instant cutoff : cutoffs) {
                long t = cutoff.toEpochMilli();
                String runKey = TrainingSets.runKey(spec.spec(), snapshot.ref().id(), t);
                boolean trainingSetMissing = withTrainingSets && !trainingSets.has(runKey);
                boolean featuresMissing = !done.contains(cutoff);
                Dataset<Row> before = BatchFeatures.before(events, t);
                // learned once per cutoff: the training set always uses them, the feature rows when no champion fixes the columns
                Map<String, List<String>> learned = trainingSetMissing || (featuresMissing && championVocabularies == null)
                        ? features.learnVocabularies(before) : null;
                if (trainingSetMissing) {
                    trainingSets.write(before, learned, snapshot.ref().id(), t, runKey);
                    trained.add(cutoff);
                }
                if (!featuresMissing) {
                    skipped.add(cutoff);
                    progress.cutoff(cutoff, !trainingSetMissing, 0);
                    continue;
                }
                long written = compute(before, t, championVocabularies != null ? championVocabularies : learned, snapshot.ref().id(), plan);
                rows += written;
                computed.add(cutoff);
                progress.cutoff(cutoff, false, written);
            }
        } finally {
            events.unpersist();
        }
        return new Outcome(computed, skipped, rows, snapshot.ref().id(), trained);
    }

    /** One cutoff's rows from the events {@code before} it, appended in one commit. */
    private long compute(Dataset<Row> before, long t, Map<String, List<String>> vocabularies, long snapshotId, String plan) {
        List<String> names = FeatureLayout.of(spec.spec(), vocabularies).names();
        Dataset<Row> rows = features.view(before, vocabularies, t, null).select(
                lit(new Timestamp(t)).as("cutoff"),
                col("entity"),
                functions.map_from_arrays(functions.array(names.stream().map(functions::lit).toArray(org.apache.spark.sql.Column[]::new)),
                        col("features_at_cutoff")).as("features"),
                col("events"),
                col("newest_event_time"),
                lit(snapshotId).as("snapshot_id"),
                lit(plan).as("plan_fingerprint"),
                lit(new Timestamp(System.currentTimeMillis())).as("computed_at"));
        Dataset<Row> stored = rows.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long count = stored.count();
            if (count > 0) {
                stored.writeTo(history.table()).append();
            }
            return count;
        } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
            throw new IllegalStateException(history.table() + " vanished during the backfill", e);
        } finally {
            stored.unpersist();
        }
    }

    private java.util.Optional<RegisteredModel> champion() {
        ModelRegistry registry = new ModelRegistry(spark, tables);
        registry.ensure();
        return registry.champion();
    }
}
