package io.tessera.serving.store;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.tessera.featurestore.contract.ChallengerAssignment;
import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.Score;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.contract.SnapshotRef;
import io.tessera.featurestore.merge.BatchPartials;
import io.tessera.featurestore.merge.ViewMerge;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.tile.PlanMismatchException;
import io.tessera.featurestore.vector.FeatureLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The one reader of the serving tables: the view serving, a key's batch row (one row of one partition),
 * its realtime rows the cut does not cover (one small partition), and the two merged with
 * {@link ViewMerge} into the key's vector at a read time. Every later consumer (the query API, the
 * demo, the consistency check) reads through it; nothing else names the tables' columns.
 */
public final class ServingReader {

    private final ServingStore store;
    private final PipelineSpec spec;
    private final FeaturePlan plan;
    private final PreparedStatement batchRow;
    private final PreparedStatement realtimeRows;
    private final long batchCacheBytes;
    private volatile Prepared prepared;
    private final PeriodicRead<Optional<ServedView>> view;
    private final PeriodicRead<Optional<ChallengerAssignment>> challenger;
    private static final long VIEW_REFRESH_NANOS = 1_000_000_000L;

    ServingReader(ServingStore store, String viewName, PipelineSpec spec, long batchCacheBytes) {
        this.store = store;
        this.spec = spec;
        this.batchCacheBytes = batchCacheBytes;
        this.view = new PeriodicRead<>(store::current, VIEW_REFRESH_NANOS);
        this.challenger = new PeriodicRead<>(() -> store.challenger().flatMap(ControlMessage.ChallengerChange::assignment), VIEW_REFRESH_NANOS);
        this.plan = FeaturePlan.of(spec);
        this.batchRow = store.session().prepare("SELECT partials, events, newest_event_time, newest_event_vector, score FROM "
                + store.keyspace() + ".batch_view WHERE view_version = ? AND bucket = ? AND entity = ?");
        this.realtimeRows = store.session().prepare("SELECT generation, epoch, partials, score, score_model, score_model_version, score_role,"
                + " score_view_version, score_snapshot_id, score_snapshot_sequence, score_snapshot_committed_at, score_event_time FROM "
                + store.keyspace() + ".realtime_view WHERE entity = ?");
    }

    /**
     * The view readers use now, if one was published: read again at most every {@link #VIEW_REFRESH_NANOS}
     * (a switch is seen within a second, and a read of the metadata row), so a key's read costs its two
     * partitions, not a third read of the one metadata row every time.
     */
    public Optional<ServedView> currentView() {
        return join(view.getAsync());
    }

    /**
     * The challenger scored beside the champion now, if one is set: read again at most every second, as
     * the view is (a {@code platform models challenger} change is seen within a second).
     */
    public Optional<ChallengerAssignment> currentChallenger() {
        return join(challenger.getAsync());
    }

    /** A key's row of a view version, if the view holds the key. */
    public Optional<BatchViewRow> batchRow(ServedView view, String entity) {
        return batchRow(entity, store.session().execute(batchStatement(view, entity)).one());
    }

    /** {@link #batchRow(ServedView, String)}, asynchronously (the speed layer's lookups, the query API's reads). */
    public CompletionStage<Optional<BatchViewRow>> batchRowAsync(ServedView view, String entity) {
        return store.session().executeAsync(batchStatement(view, entity)).thenApply(result -> batchRow(entity, result.one()));
    }

    /** {@link #realtime(String, ServingCut)}, asynchronously; a partition of more than one page is read to its end. */
    public CompletionStage<RealtimePartition> realtimeAsync(String entity, ServingCut cut) {
        return store.session().executeAsync(realtimeStatement(entity)).thenCompose(first -> allRows(first, new ArrayList<>()))
                .thenApply(rows -> realtime(entity, cut, rows));
    }

    /** A key's realtime partition: its rows {@code cut} does not cover, and its latest score. */
    public RealtimePartition realtime(String entity, ServingCut cut) {
        return realtime(entity, cut, store.session().execute(realtimeStatement(entity)));
    }

    private com.datastax.oss.driver.api.core.cql.BoundStatement batchStatement(ServedView view, String entity) {
        return batchRow.bind(view.version(), ViewBuckets.of(entity, view.buckets()), entity).setConsistencyLevel(store.target().reads());
    }

    /*
     * The whole partition is read and filtered here: a slice restriction on the clustering columns would
     * hide the static score of a key whose rows are all covered.
     */
    private com.datastax.oss.driver.api.core.cql.BoundStatement realtimeStatement(String entity) {
        return realtimeRows.bind(entity).setConsistencyLevel(store.target().reads());
    }

    private static Optional<BatchViewRow> batchRow(String entity, Row row) {
        if (row == null) {
            return Optional.empty();
        }
        double[] vector = row.getList("newest_event_vector", Double.class).stream().mapToDouble(Double::doubleValue).toArray();
        return Optional.of(new BatchViewRow(entity, bytes(row.getByteBuffer("partials")), row.getLong("events"),
                row.getInstant("newest_event_time").toEpochMilli(), vector,
                row.isNull("score") ? Optional.empty() : Optional.of(row.getDouble("score"))));
    }

    private static RealtimePartition realtime(String entity, ServingCut cut, Iterable<Row> result) {
        List<RealtimeRow> rows = new ArrayList<>();
        Optional<Score> latest = Optional.empty();
        for (Row row : result) {
            if (latest.isEmpty() && !row.isNull("score")) {
                latest = Optional.of(score(row));
            }
            ByteBuffer partials = row.getByteBuffer("partials");
            if (partials != null && !row.isNull("epoch") && !cut.covers(row.getLong("generation"), row.getLong("epoch"))) {
                rows.add(new RealtimeRow(entity, row.getLong("generation"), row.getLong("epoch"), bytes(partials)));
            }
        }
        return new RealtimePartition(rows, latest);
    }

    /** A key's realtime partition as read: the uncovered rows and the latest score. */
    public record RealtimePartition(List<RealtimeRow> rows, Optional<Score> latestScore) {
    }

    /**
     * The key's merged answer at {@code readTime}, or empty if no view was published yet.
     *
     * @throws PlanMismatchException if the serving view was computed under another version of the spec
     * @throws io.tessera.featurestore.merge.BeforeHorizonException if {@code readTime} is earlier than
     *     the key's batch view answers
     */
    public Optional<EntityReading> read(String entity, long readTime) {
        return join(readAsync(entity, readTime, null));
    }

    /**
     * {@link #read(String, long)} without blocking: the key's two partitions are read together (the slower
     * of two round trips, not their sum) and merged on the driver's thread that completes the second;
     * failures complete the stage exceptionally with the exceptions {@code read} throws.
     *
     * @param event a candidate event being scored at {@code readTime}, whose fields fill the event columns
     *     (the views do not hold it), or null
     */
    public CompletableFuture<Optional<EntityReading>> readAsync(String entity, long readTime, Event event) {
        return view.getAsync().thenCompose(current -> current.isEmpty() ? CompletableFuture.completedFuture(Optional.empty())
                : readAsync(current.get(), entity, readTime, event).thenApply(Optional::of));
    }

    private CompletableFuture<EntityReading> readAsync(ServedView served, String entity, long readTime, Event event) {
        PublishedView view = served.view();
        if (!view.planFingerprint().equals(plan.fingerprint())) {
            throw new PlanMismatchException("the serving view v" + view.viewVersion() + " of " + view.pipeline()
                    + " was computed under another version of the spec (plan " + view.planFingerprint().shortHex() + ", this spec's "
                    + plan.fingerprint().shortHex() + "): retrain to publish a view of this spec");
        }
        Prepared version = preparedFor(view);
        BatchRowCache.Entry cached = version.batchRows().get(entity);
        CompletableFuture<BatchRowCache.Entry> batchRead = cached != null ? CompletableFuture.completedFuture(cached)
                : batchRowAsync(served, entity).toCompletableFuture().thenApply(row -> {
                    BatchRowCache.Entry entry = row.isEmpty() ? BatchRowCache.Entry.ABSENT
                            : new BatchRowCache.Entry(row, BatchPartials.decode(plan, row.get().partials()));
                    version.batchRows().put(entity, entry);
                    return entry;
                });
        CompletableFuture<RealtimePartition> realtimeRead = realtimeAsync(entity, view.cut()).toCompletableFuture();
        return batchRead.thenCombine(realtimeRead, (batch, realtime) -> merged(served, version, entity, readTime, event, batch, realtime));
    }

    private EntityReading merged(ServedView served, Prepared version, String entity, long readTime, Event event, BatchRowCache.Entry batchEntry,
            RealtimePartition realtime) {
        PublishedView view = served.view();
        EntityTiles uncovered = plan.newEntity();
        for (RealtimeRow row : realtime.rows()) {
            EntityTilesCodec.decodeInto(plan, row.partials(), uncovered);   // realtime() kept only the rows the cut does not cover
        }
        ViewMerge merge = version.merge();
        BatchPartials batchPartials = batchEntry.partials();
        double[] vector = merge.vector(batchPartials, uncovered, readTime, event);
        long newest = ViewMerge.newestEventTime(batchPartials, uncovered);
        Optional<BatchViewRow> batch = batchEntry.row();
        Optional<Score> batchScore = batch.flatMap(row -> row.score().map(value -> new Score(value, new Provenance(
                view.champion().map(c -> new Provenance.ModelRef(c.name(), c.version(), Provenance.Role.CHAMPION)), view.viewVersion(),
                view.snapshot(), row.newestEventTime(), Provenance.Layer.BATCH))));
        Optional<Score> latest = newer(realtime.latestScore(), batchScore);
        return new EntityReading(entity, readTime, merge.layout().names(), vector, newest == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(newest),
                latest, served, batch.isPresent(), realtime.rows().size());
    }

    /**
     * What a view version's reads share, built once per version: the merge of its layout (layouts and their
     * fingerprints cost microseconds) and its cache of decoded batch rows.
     */
    private Prepared preparedFor(PublishedView view) {
        Prepared current = prepared;
        if (current == null || current.viewVersion() != view.viewVersion()) {
            current = new Prepared(view.viewVersion(), new ViewMerge(plan, FeatureLayout.of(spec, view.vocabularies())),
                    new BatchRowCache(batchCacheBytes));
            prepared = current;
        }
        return current;
    }

    private record Prepared(long viewVersion, ViewMerge merge, BatchRowCache batchRows) {
    }

    /** A read's result, or its failure as a synchronous call throws it (the driver's exception, not a CompletionException). */
    private static <T> T join(CompletableFuture<T> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /**
     * Every row of an asynchronous result, page after page (a realtime partition is one page unless it grew
     * large), without waiting on the driver's thread that completes a page.
     */
    private static CompletionStage<List<Row>> allRows(AsyncResultSet page, List<Row> rows) {
        page.currentPage().forEach(rows::add);
        return page.hasMorePages() ? page.fetchNextPage().thenCompose(next -> allRows(next, rows)) : CompletableFuture.completedFuture(rows);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static Optional<Score> newer(Optional<Score> realtime, Optional<Score> batch) {
        if (realtime.isEmpty() || batch.isEmpty()) {
            return realtime.isPresent() ? realtime : batch;
        }
        return realtime.get().provenance().eventTime() >= batch.get().provenance().eventTime() ? realtime : batch;
    }

    private static Score score(Row row) {
        Provenance.ModelRef model = new Provenance.ModelRef(row.getString("score_model"), row.getLong("score_model_version"),
                Provenance.Role.ofLabel(row.getString("score_role")));
        SnapshotRef snapshot = new SnapshotRef(row.getLong("score_snapshot_id"), row.getLong("score_snapshot_sequence"),
                row.getInstant("score_snapshot_committed_at").toEpochMilli());
        return new Score(row.getDouble("score"), new Provenance(Optional.of(model), row.getLong("score_view_version"), snapshot,
                row.getInstant("score_event_time").toEpochMilli(), Provenance.Layer.REALTIME));
    }
}
