package io.tessera.batch.retrain;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.batch.features.BatchFeatures;
import io.tessera.batch.lake.LakeSnapshot;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.BatchViewPublisher;
import io.tessera.batch.publish.PublishOutcome;
import io.tessera.batch.registry.ModelRegistry;
import io.tessera.batch.registry.RegisteredModel;
import io.tessera.batch.report.TrainingReport;
import io.tessera.batch.spec.SpecText;
import io.tessera.batch.train.Champion;
import io.tessera.batch.train.ExportAgreement;
import io.tessera.batch.train.ExportCheck;
import io.tessera.batch.train.ModelTrainer;
import io.tessera.batch.train.PortableExport;
import io.tessera.batch.train.PromotionDecision;
import io.tessera.batch.train.PromotionGate;
import io.tessera.batch.train.TrainedModel;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.TrainingProvenance;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The nightly retrain of one pipeline, from one lake snapshot S and a cutoff T: point-in-time training
 * set and holdout from the events before T, MLlib model, evaluation, export (checked against Spark),
 * promotion gate, registry; then the batch view of every event of S, scored by the champion if its
 * layout fits, published forward-only, and the control message.
 *
 * <p>Safe to re-run after a crash at any point: the model of a (spec, S, T) is found in the registry by
 * its run key (the spec's fingerprint, not its text: an edited comment is the same spec) instead of being
 * trained again, the training set of a run key is written once, and a view recorded as published is
 * completed rather than redone. Re-running an older (S, T) never takes serving back: its view is
 * superseded.
 */
public final class Retrain {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkSession spark;
    private final PipelineSpec spec;
    private final PipelineTables tables;
    private final ModelRegistry registry;
    private final BatchViewPublisher publisher;
    private final BatchFeatures features;
    private final TrainingSets trainingSets;
    /** Wall time of each step of the last run, in order, for the output and the benchmark. */
    private final Map<String, Long> stepMillis = new LinkedHashMap<>();

    public Retrain(SparkSession spark, SpecText specText, BatchViewPublisher publisher) {
        this.spark = spark;
        this.spec = specText.spec();
        this.tables = new PipelineTables(spark, spec);
        this.registry = new ModelRegistry(spark, tables);
        this.publisher = publisher;
        this.features = new BatchFeatures(spark, specText);
        this.trainingSets = new TrainingSets(spark, tables, features);
    }

    /**
     * A run whose cutoff, when not given, is the spec's default as of {@code clock}'s now
     * ({@link io.tessera.featurestore.spec.ScheduleSpec#defaultCutoff}: the schedule's last tick, or the
     * start of the UTC day), never the wall clock itself: the cutoff is in the run key, and a re-run after
     * a crash must find the run it repeats.
     */
    public RetrainOutcome run(Optional<Long> snapshotId, Optional<Instant> cutoff, Clock clock) throws Exception {
        return run(snapshotId, cutoff.orElseGet(() -> spec.schedule().defaultCutoff(clock.instant())).toEpochMilli());
    }

    public RetrainOutcome run(Optional<Long> snapshotId, long cutoff) throws Exception {
        tables.ensure();
        registry.ensure();
        publisher.ensure();
        LakeSnapshot snapshot = snapshotId.map(id -> LakeSnapshot.of(spark, tables.events(), id))
                .orElseGet(() -> LakeSnapshot.current(spark, tables.events()));
        String runKey = TrainingSets.runKey(spec, snapshot.ref().id(), cutoff);
        Dataset<Row> events = features.events(tables.events(), snapshot.ref().id()).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> training = BatchFeatures.before(events, cutoff);
            Map<String, List<String>> vocabularies = features.learnVocabularies(training);
            Optional<RegisteredModel> already = registry.byRunKey(runKey);
            if (already.isEmpty() && snapshotId.isEmpty()) {
                already = trainedOnTheSameEvents(snapshot, cutoff);
            }
            Optional<Long> comparedWith = already.isPresent() ? Optional.empty() : registry.champion().map(RegisteredModel::version);
            RegisteredModel candidate = already.isPresent() ? already.get()
                    : trainAndRegister(training, vocabularies, snapshot, cutoff, runKey);
            Optional<RegisteredModel> champion = registry.champion();
            PublishOutcome publication = publish(events, vocabularies, snapshot, cutoff, champion);
            registry.recordGateDecision(candidate, comparedWith, Optional.of(publication.view().viewVersion()).filter(v -> publication.serving()));
            return new RetrainOutcome(candidate, already.isPresent(), champion, publication,
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stepMillis)));
        } finally {
            events.unpersist();
        }
    }

    /**
     * A model of this spec and cutoff trained on an earlier snapshot that holds the same events before the
     * cutoff as {@code snapshot}, and so the same training set: with the speed layer appending the events
     * of after the cutoff every few seconds, the lake's current snapshot is never the one a crashed run
     * read, and a re-run must still find the run it repeats rather than train another version. Found while
     * the snapshots between are kept (an hour on the speed layer's tables: docs/lake-maintenance.md).
     */
    private Optional<RegisteredModel> trainedOnTheSameEvents(LakeSnapshot snapshot, long cutoff) {
        for (RegisteredModel model : registry.all()) {
            if (model.runKey().equals(TrainingSets.runKey(spec, model.trainingSnapshotId(), cutoff))
                    && !LakeSnapshot.rowsBeforeChanged(spark, tables.events(), model.trainingSnapshotId(), snapshot.ref().id(), cutoff)) {
                return Optional.of(model);
            }
        }
        return Optional.empty();
    }

    private RegisteredModel trainAndRegister(Dataset<Row> training, Map<String, List<String>> vocabularies, LakeSnapshot snapshot,
            long cutoff, String runKey) throws IOException {
        FeatureLayout layout = FeatureLayout.of(spec, vocabularies);
        Dataset<Row> trainingSet = timed("training set", () -> trainingSet(training, vocabularies, snapshot, cutoff, runKey));

        TrainedModel trained = timed("fit + evaluate", () -> new ModelTrainer(spec.model(), layout.names()).train(trainingSet));
        long exportStart = System.nanoTime();
        long version = registry.nextVersion();
        TrainingProvenance provenance = new TrainingProvenance(snapshot.ref().id(), cutoff, runKey, trainingSets.table(),
                spec.fingerprint(), layout.fingerprint());
        ModelArtifact artifact = PortableExport.export(trained, spec.name(), version, vocabularies, provenance.toMap());
        ExportAgreement agreement = ExportCheck.verify(artifact, trained.holdout());

        Optional<Champion> champion = registry.champion().map(current -> Champion.against(readArtifact(current), trained, layout.fingerprint()));
        PromotionDecision decision = new PromotionGate(spec.model()).decide(trained.evaluation(), trained.baseline(), champion);

        Path dir = artifactsRoot().resolve("v" + version);
        Files.createDirectories(dir);
        Path modelFile = dir.resolve("model.json");
        ModelFormat.write(artifact, modelFile);
        trained.saveSparkModel(dir.resolve("spark-model").toString());
        new TrainingReport(artifact, trained, champion, decision, agreement).write(dir.resolve("report.html"));

        RegisteredModel model = new RegisteredModel(spec.name(), version,
                decision.promote() ? RegisteredModel.CHAMPION : RegisteredModel.REJECTED,
                spec.model().task().specName(), spec.model().algorithm().specName(), json(trained.params()),
                trained.evaluation().metrics(), snapshot.ref().id(), new Timestamp(cutoff), modelFile.toString(),
                ModelFormat.checksum(artifact), decision.reason(), runKey, new Timestamp(System.currentTimeMillis()));
        stepMillis.put("export + check + gate + report", (System.nanoTime() - exportStart) / 1_000_000);
        timed("register", () -> {
            registry.register(model);
            return model;
        });
        return model;
    }

    /** The training set of this run, written once to {@code lake.<pipeline>.training_set} with where it came from. */
    private Dataset<Row> trainingSet(Dataset<Row> training, Map<String, List<String>> vocabularies, LakeSnapshot snapshot, long cutoff,
            String runKey) {
        trainingSets.ensure();
        if (!trainingSets.has(runKey)) {
            trainingSets.write(training, vocabularies, snapshot.ref().id(), cutoff, runKey);
        }
        return trainingSets.read(runKey);
    }

    private PublishOutcome publish(Dataset<Row> events, Map<String, List<String>> learned, LakeSnapshot snapshot, long cutoff,
            Optional<RegisteredModel> champion) throws Exception {
        Optional<BatchViewPublisher.Recorded> recorded = publisher.find(spec.fingerprint(), snapshot.ref().id(), cutoff,
                champion.map(RegisteredModel::version));
        if (recorded.isPresent()) {
            return timed("publish (completing an earlier run)", () -> publisher.complete(recorded.get()));
        }
        return publishNew(events, learned, snapshot, cutoff, champion);
    }

    /**
     * Publishes a newer version of {@code serving}: the same lake snapshot and cutoff, every key scored by
     * {@code champion} ({@code platform models promote} and {@code rollback}). The caller has checked that
     * the champion fits the view's layout and that this spec's features are the view's.
     *
     * @throws IllegalStateException if the champion cannot score the view after all (nothing published)
     */
    public PublishOutcome rescore(PublishedView serving, RegisteredModel champion) throws Exception {
        ViewScoring scoring = ViewScoring.decide(spec, Optional.of(champion), Optional.of(readArtifact(champion)), serving.vocabularies());
        if (scoring.champion().isEmpty()) {
            throw new IllegalStateException(scoring.withheld().orElse("v" + champion.version() + " cannot score the view"));
        }
        tables.ensure();
        publisher.ensure();
        LakeSnapshot snapshot = LakeSnapshot.of(spark, tables.events(), serving.snapshot().id());
        Dataset<Row> events = features.events(tables.events(), snapshot.ref().id()).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return publishNew(events, serving.vocabularies(), snapshot, serving.cutoff(), Optional.of(champion));
        } finally {
            events.unpersist();
        }
    }

    /**
     * Publishes a view of the lake's current snapshot computed as the view serving was (its cutoff,
     * vocabularies and champion), training nothing: the batch layer recomputing its view between
     * retrains. A newer view's cut covers more of the speed layer's realtime rows (one per key and
     * checkpoint epoch with events, kept until a view covers them), so a view refreshed every hour keeps
     * a busy key's rows to an hour's epochs instead of a day's; SQL over the batch view is fresher too.
     * Safe to re-run: a refresh of a snapshot already published completes that publication.
     *
     * @param serving the view serving now
     * @return the publication, or empty when the view serving holds every event of the current snapshot
     *     already: it reads that snapshot, or no event changed since the one it reads (a compaction, the
     *     speed layer's commits of checkpoints without events)
     * @throws ViewRefreshRefusedException when the view serving was computed with other features than this spec's,
     *     or its champion is not in the registry
     */
    public Optional<PublishOutcome> refresh(PublishedView serving) throws Exception {
        if (!serving.planFingerprint().equals(FeaturePlan.of(spec).fingerprint())) {
            throw new ViewRefreshRefusedException("the view serving (v" + serving.viewVersion() + ") was computed with other features than"
                    + " this spec's: pass the spec it was published with, or retrain with this one");
        }
        tables.ensure();
        registry.ensure();
        publisher.ensure();
        LakeSnapshot snapshot = LakeSnapshot.current(spark, tables.events());
        if (!LakeSnapshot.rowsChanged(spark, tables.events(), serving.snapshot().id(), snapshot.ref().id())) {
            return Optional.empty();
        }
        Optional<RegisteredModel> champion = Optional.empty();
        if (serving.champion().isPresent()) {
            long version = serving.champion().get().version();
            champion = Optional.of(registry.byVersion(version).orElseThrow(() -> new ViewRefreshRefusedException("the view serving (v"
                    + serving.viewVersion() + ") is scored by v" + version + ", which " + registry.table() + " does not hold")));
        }
        Dataset<Row> events = features.events(tables.events(), snapshot.ref().id()).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return Optional.of(publish(events, serving.vocabularies(), snapshot, serving.cutoff(), champion));
        } finally {
            events.unpersist();
        }
    }

    private PublishOutcome publishNew(Dataset<Row> events, Map<String, List<String>> learned, LakeSnapshot snapshot, long cutoff,
            Optional<RegisteredModel> champion) throws Exception {
        ViewScoring scoring = ViewScoring.decide(spec, champion, champion.map(Retrain::readArtifact), learned);
        Dataset<Row> view = features.view(BatchFeatures.heldBy(events, snapshot.cut()), scoring.vocabularies(), cutoff,
                        scoring.model().map(ModelFormat::toJson).orElse(null))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long entities = timed("batch view", view::count);
            PublishedView published = new PublishedView(spec.name(), publisher.nextViewVersion(), snapshot.ref(), snapshot.cut(), cutoff,
                    scoring.champion(), scoring.withheld(), spec.fingerprint(), FeaturePlan.of(spec).fingerprint(), scoring.layout().fingerprint(),
                    scoring.layout().names(),
                    scoring.vocabularies(), entities, System.currentTimeMillis());
            return timed("publish (lake + cassandra + control)", () -> publisher.publish(view, published));
        } finally {
            view.unpersist();
        }
    }

    /** A step that may throw, timed into {@link #stepMillis}. */
    private interface Step<T> {
        T run() throws Exception;
    }

    private <T> T timed(String name, Step<T> step) {
        long start = System.nanoTime();
        try {
            return step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed: " + e.getMessage(), e);
        } finally {
            stepMillis.put(name, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static ModelArtifact readArtifact(RegisteredModel model) {
        return ModelFormat.read(Path.of(model.artifactLocation()));
    }

    /** Model artifacts live beside the pipeline's tables: {@code <warehouse>/<pipeline>/models/v<N>/}. */
    private Path artifactsRoot() {
        String location = LakeSnapshot.load(spark, tables.events()).location();
        Path events = location.startsWith("file:") ? Path.of(URI.create(location.replaceFirst("^file:/+", "file:///"))) : Path.of(location);
        return events.getParent().resolve("models");
    }

    private static String json(Map<String, Object> params) {
        try {
            return JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
