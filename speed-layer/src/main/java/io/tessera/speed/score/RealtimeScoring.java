package io.tessera.speed.score;

import io.tessera.featurestore.contract.ChallengerAssignment;
import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.ControlMessageCodec;
import io.tessera.featurestore.contract.EpochBuckets;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.Score;
import io.tessera.featurestore.contract.TrafficSplit;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.lake.QuarantinedRecord;
import io.tessera.featurestore.lake.ScoreRecord;
import io.tessera.featurestore.merge.BatchPartials;
import io.tessera.featurestore.merge.WindowReads;
import io.tessera.featurestore.merge.BeforeHorizonException;
import io.tessera.featurestore.merge.ViewMerge;
import io.tessera.featurestore.model.ChampionLoader;
import io.tessera.featurestore.model.Scorer;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.tile.Selection;
import io.tessera.featurestore.time.Admission;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.MergedBucket;
import io.tessera.serving.store.RealtimeRow;
import io.tessera.serving.store.RealtimeViewWriter;
import io.tessera.serving.store.ServedView;
import io.tessera.serving.store.ServingReader;
import io.tessera.serving.store.ServingStore;
import io.tessera.speed.SpeedMetrics;
import io.tessera.speed.job.SpecText;
import io.tessera.speed.lookup.LookedUp;
import io.tessera.speed.source.DecodeRecords;
import io.tessera.speed.source.DecodedRecord;
import io.tessera.speed.source.EventCodec;
import io.tessera.speed.state.KeyPartials;
import io.tessera.speed.state.KeyPartialsSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of the speed layer, per key: adds each event to the key's partials the batch view does not
 * hold, builds the key's feature vector as of the event's time with the feature-store's merge (batch
 * partials + its own), scores it with the champion the view names, and emits the key's realtime row, the
 * score and the event. Everything it decides per event is decided with the same feature-store code the
 * batch layer and the query API use.
 *
 * <p>Epochs (docs/architecture.md, "The cut"): every partial is tagged with the epoch current when its
 * event was processed, a lower bound of the checkpoint that will commit the event to the lake:
 * {@code restored checkpoint + 1} (or 1) at start, {@code checkpoint + 1} from each snapshot on. A task
 * restored from checkpoint c first deletes its keys' rows of this generation above c: their events are
 * read again from Kafka, and a row of the lost attempt would count them twice. A key's rows of a bucket
 * of epochs that a completed checkpoint closed are merged into one at its next event
 * ({@link KeyPartials#mergeClosedBuckets}), and each event's lake row carries its generation and epoch.
 *
 * <p>Views: a record arrives with the version of the view serving when it was looked up. A key moves to a
 * newer view as soon as one of its records, or the control stream's {@link ControlMessage.ViewPublished},
 * shows it; then the rows the view's cut covers leave its state and Cassandra. A record looked up before
 * its key moved on is read again against the view serving now (rare: only around a publication).
 *
 * <p>Challenger: the newest {@link ControlMessage.ChallengerChange} a task knows, read from serving when it
 * opens (a fresh start, or a restore whose control offsets are past the change) and then from the
 * control stream, newer revisions only. Each task loads and verifies the challenger's artifact itself
 * against the view's layout, like the champion's. Per event, the key's arm is one hash of the key
 * ({@link TrafficSplit}); in the arm the vector already assembled for the champion is scored again by
 * the challenger: both scores go to the lake with their roles, and the realtime view shows the served one
 * (the challenger's for an A/B challenger's keys, else the champion's). A challenger that cannot score
 * is logged once per view and change, and the champion serves every key.
 */
public final class RealtimeScoring extends KeyedBroadcastProcessFunction<String, LookedUp, String, AcceptedEvent>
        implements CheckpointedFunction, CheckpointListener {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RealtimeScoring.class);

    public static final OutputTag<RealtimeUpdate> REALTIME = new OutputTag<>("realtime") {
    };
    public static final OutputTag<ScoreRecord> SCORES = new OutputTag<>("scores") {
    };
    /** Late events; the same tag as decoding's rejections, so one sink takes both. */
    public static final OutputTag<QuarantinedRecord> QUARANTINE = DecodeRecords.QUARANTINE;
    /** The newest view version a control message announced, per task. */
    public static final MapStateDescriptor<String, Long> CONTROL = new MapStateDescriptor<>("control", Types.STRING, Types.LONG);
    private static final String NEWEST_VIEW = "newest-view";

    private final SpecText spec;
    private final CassandraTarget target;
    private final long generation;
    private final EpochBuckets buckets;
    private final int cacheSize;

    private transient FeaturePlan plan;
    private transient PipelineSpec parsed;
    private transient EventCodec codec;
    /** The spec's {@code source.id}, or null: then no event is taken for a re-send. */
    private transient String idField;
    private transient ValueState<KeyPartials> partials;
    private transient ServingStore store;
    private transient ServingReader reader;
    private transient RealtimeViewWriter writer;
    private transient ChampionLoader champions;
    private transient ViewsSeen views;
    private transient DecodedBatches batches;
    private transient Scoring scoring;
    private transient SpeedMetrics metrics;
    private transient long epoch;
    /** The newest checkpoint known complete (the restored one at start): buckets ending there are over. */
    private transient long completed;
    private transient OptionalLong restoredFrom;
    /** The newest challenger change applied (0: none), and the challenger it left (null: none). */
    private transient long challengerRevision;
    private transient ChallengerAssignment challenger;

    /**
     * @param buckets the generation's epochs per bucket of realtime rows
     * @param cacheSize keys whose decoded batch partials each task keeps
     */
    public RealtimeScoring(SpecText spec, CassandraTarget target, long generation, EpochBuckets buckets, int cacheSize) {
        this.spec = spec;
        this.target = target;
        this.generation = generation;
        this.buckets = buckets;
        this.cacheSize = cacheSize;
    }

    /** The state descriptor of a key's partials (also used to visit every key on a publication). */
    public ValueStateDescriptor<KeyPartials> partialsDescriptor() {
        return new ValueStateDescriptor<>("partials", new KeyPartialsSerializer(spec));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        restoredFrom = context.getRestoredCheckpointId();
        epoch = restoredFrom.isPresent() ? restoredFrom.getAsLong() + 1 : 1;
        completed = restoredFrom.orElse(0);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // events after this barrier are committed by this checkpoint's successors at the earliest
        epoch = context.getCheckpointId() + 1;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        completed = Math.max(completed, checkpointId);
    }

    @Override
    public void open(OpenContext context) {
        parsed = spec.parse();
        plan = FeaturePlan.of(parsed);
        codec = new EventCodec(parsed);
        idField = parsed.source().id().orElse(null);
        partials = getRuntimeContext().getState(partialsDescriptor());
        store = ServingStore.open(target, parsed.name(), parsed.serving().view());
        store.migrate();
        reader = store.reader(parsed);
        writer = store.realtimeWriter();
        champions = new ChampionLoader();
        views = new ViewsSeen(store, plan.fingerprint());
        batches = new DecodedBatches(plan, reader, cacheSize);
        metrics = new SpeedMetrics(getRuntimeContext().getMetricGroup());
        store.challenger().ifPresent(this::applyChallenger);
        if (restoredFrom.isPresent()) {
            int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
            int maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
            int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            long keys = writer.discardAbove(generation, restoredFrom.getAsLong(),
                    key -> KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism) == subtask);
            LOG.info("restored from checkpoint {}: discarded rows of generation {} above it for {} keys of task {}", restoredFrom.getAsLong(),
                    generation, keys, subtask);
        }
    }

    @Override
    public void processElement(LookedUp in, ReadOnlyContext context, Collector<AcceptedEvent> out) throws Exception {
        DecodedRecord record = in.record;
        Event event = record.event(codec);
        Selection selection = record.selection();
        KeyPartials state = partials.value();
        if (state == null) {
            state = KeyPartials.empty(plan);
            state.adopt(in.olderGenerations(plan), plan);
        }
        ServedView view = null;
        BatchPartials batch = null;
        WindowReads reads = null;
        if (in.viewVersion != 0) {
            view = views.view(in.viewVersion, state.viewVersion());
            DecodedBatches.Decoded decoded = view.version() == in.viewVersion ? batches.decoded(record.entity, view.version(), in.batch)
                    : batches.read(record.entity, view);   // looked up before the key moved on to a newer view
            batch = decoded.partials();
            reads = decoded.reads();
            state.moveTo(view.version(), view.view().cut(), plan);
        }
        long now = System.currentTimeMillis();
        long watermark = Math.max(state.uncovered().watermark(), batch == null ? Long.MIN_VALUE : batch.watermark());
        if (idField != null && !state.firstSighting(event.text(idField), event.time(), horizon(watermark))) {
            partials.update(state);
            metrics.quarantined(QuarantinedRecord.DUPLICATE);
            context.output(QUARANTINE, new QuarantinedRecord(record.value, QuarantinedRecord.DUPLICATE, "event " + idField + "="
                    + event.text(idField) + " was seen for this key within max_lateness: a re-send, counted once", record.source, now));
            return;
        }
        if (plan.add(state.uncovered(), event, watermark, selection) == Admission.LATE) {
            partials.update(state);
            metrics.quarantined(QuarantinedRecord.LATE);
            context.output(QUARANTINE, new QuarantinedRecord(record.value, QuarantinedRecord.LATE, "event time " + event.time()
                    + " is more than max_lateness (" + plan.lateness().maxLatenessMillis() + " ms) behind the key's newest event "
                    + watermark, record.source, now));
            return;
        }
        EntityTiles row = state.row(generation, epoch, plan);
        plan.add(row, event, Long.MIN_VALUE, selection);
        plan.maintain(state.uncovered(), state.uncovered().watermark());
        List<MergedBucket> merged = state.mergeClosedBuckets(record.entity, generation, buckets, completed, plan);
        metrics.accepted();
        metrics.realtimeRows(state.rowCount());

        Score served = null;
        Scoring current = view == null ? null : scoringFor(view.view());
        if (current != null && assemble(current, batch, state.uncovered(), event, reads)) {
            Score champion = score(current.scorer(), current.model(), current.vector(), view, event);
            served = champion;
            Score challenged = null;
            if (current.challengerScorer() != null && TrafficSplit.inShare(record.entity, current.challengerSalt(), current.challengerThreshold())) {
                challenged = score(current.challengerScorer(), current.challengerModel(), current.vector(), view, event);
                metrics.challengerScored();
                if (current.challengerServed()) {
                    served = challenged;
                }
            }
            context.output(SCORES, ScoreRecord.of(record.entity, event.time(), champion, served == champion, now, generation, epoch));
            if (challenged != null) {
                context.output(SCORES, ScoreRecord.of(record.entity, event.time(), challenged, served == challenged, now, generation, epoch));
            }
        }
        boolean newest = served != null && event.time() >= state.newestScoredTime();
        if (newest) {
            state.scored(event.time());
        }
        partials.update(state);
        context.output(REALTIME, new RealtimeUpdate(new RealtimeRow(record.entity, generation, epoch, state.encodeNewestRow(plan)),
                newest ? served : null, now, merged));
        out.collect(new AcceptedEvent(event, record.value, record.source, now, generation, epoch));
    }

    /** Events before this are late for a key whose newest event is at {@code watermark}. */
    private long horizon(long watermark) {
        return watermark == Long.MIN_VALUE ? Long.MIN_VALUE : watermark - plan.lateness().maxLatenessMillis();
    }

    /**
     * Assembles the key's vector at the event's time into {@code current}'s buffer, for its champion (and
     * challenger) to score; false if the view has no champion that can score.
     */
    private boolean assemble(Scoring current, BatchPartials batch, EntityTiles uncovered, Event event, WindowReads reads) {
        if (current.scorer() == null) {
            metrics.unscored();
            return false;
        }
        try {
            current.merge().assembleInto(current.vector(), batch, uncovered, event.time(), event, reads);
        } catch (BeforeHorizonException e) {
            metrics.unscored();   // cannot happen for an admitted event: the key's watermark includes the batch's
            return false;
        }
        metrics.scored();
        return true;
    }

    private static Score score(Scorer scorer, Optional<Provenance.ModelRef> model, double[] vector, ServedView view, Event event) {
        return new Score(scorer.score(vector),
                new Provenance(model, view.version(), view.view().snapshot(), event.time(), Provenance.Layer.REALTIME));
    }

    /**
     * What scoring against one view needs, built once per view version and challenger change: the merge,
     * the vector buffer, the champion's scorer, and the challenger's with its arm (null scorer: none, or
     * one that cannot score this view).
     */
    private record Scoring(PublishedView view, long challengerRevision, ViewMerge merge, double[] vector, Scorer scorer,
            Optional<Provenance.ModelRef> model, Scorer challengerScorer, Optional<Provenance.ModelRef> challengerModel, long challengerSalt,
            long challengerThreshold, boolean challengerServed) {
    }

    private Scoring scoringFor(PublishedView view) {
        if (scoring != null && scoring.view().viewVersion() == view.viewVersion() && scoring.challengerRevision() == challengerRevision) {
            return scoring;
        }
        FeatureLayout layout = FeatureLayout.of(parsed, view.vocabularies());
        Scorer scorer = null;
        Optional<Provenance.ModelRef> model = Optional.empty();
        if (view.champion().isPresent()) {
            try {
                scorer = champions.scorer(view);
                model = Optional.of(new Provenance.ModelRef(view.champion().get().name(), view.champion().get().version(),
                        Provenance.Role.CHAMPION));
            } catch (ChampionLoader.ChampionUnavailableException e) {
                LOG.error("view v{}: its champion cannot score ({}): {}", view.viewVersion(), e.code(), e.getMessage());
            }
        }
        Scorer challengerScorer = null;
        Optional<Provenance.ModelRef> challengerModel = Optional.empty();
        if (challenger != null) {
            try {
                challengerScorer = champions.scorer(challenger.model(), Provenance.Role.CHALLENGER, view);
                challengerModel = Optional.of(new Provenance.ModelRef(challenger.model().name(), challenger.model().version(),
                        Provenance.Role.CHALLENGER));
            } catch (ChampionLoader.ChampionUnavailableException e) {
                LOG.error("view v{}: {} cannot score ({}), the champion serves every key: {}", view.viewVersion(), challenger, e.code(),
                        e.getMessage());
            }
        }
        scoring = new Scoring(view, challengerRevision, new ViewMerge(plan, layout), new double[layout.size()], scorer, model,
                challengerScorer, challengerModel, challenger == null ? 0 : challenger.model().version(),
                challenger == null ? 0 : challenger.threshold(), challenger != null && challenger.served());
        return scoring;
    }

    /** Applies a challenger change newer than the one this task holds; an older or the same one (a replay) changes nothing. */
    private void applyChallenger(ControlMessage.ChallengerChange change) {
        if (change.revision() <= challengerRevision) {
            return;
        }
        challengerRevision = change.revision();
        challenger = change.assignment().orElse(null);
        LOG.info("challenger: revision {}: {}", change.revision(), challenger == null ? "cleared" : challenger);
        if (scoring != null) {
            scoringFor(scoring.view());   // load and verify it now, not on the next event
        }
    }

    @Override
    public void processBroadcastElement(String text, Context context, Collector<AcceptedEvent> out) throws Exception {
        ControlMessage message = ControlMessageCodec.parse(text);
        if (message instanceof ControlMessage.ChallengerChange change) {
            applyChallenger(change);
            return;
        }
        if (!(message instanceof ControlMessage.ViewPublished published)) {
            return;
        }
        PublishedView view = published.view();
        if (!view.planFingerprint().equals(plan.fingerprint())) {
            LOG.warn("control: {} was computed under another plan; this job's state is not moved to it", view);
            return;
        }
        Long newest = context.getBroadcastState(CONTROL).get(NEWEST_VIEW);
        if (newest != null && newest >= view.viewVersion()) {
            return;
        }
        context.getBroadcastState(CONTROL).put(NEWEST_VIEW, view.viewVersion());
        List<String> moved = new ArrayList<>();
        context.applyToKeyedState(partialsDescriptor(), (key, state) -> {
            KeyPartials keyPartials = state.value();
            if (keyPartials != null && keyPartials.moveTo(view.viewVersion(), view.cut(), plan)) {
                state.update(keyPartials);
                moved.add(key);
            }
        });
        writer.dropCovered(moved, view.cut());
        LOG.info("control: moved to {}; dropped covered partials of {} keys", view, moved.size());
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
