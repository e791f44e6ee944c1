package io.tessera.featurestore.merge;

import io.tessera.featurestore.aggregate.Partial;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.tile.TileSet;
import io.tessera.featurestore.vector.FeatureColumn;
import io.tessera.featurestore.vector.FeatureLayout;
import java.util.List;

/**
 * The merge at read time, the one both the query API and the speed layer call: a key's batch partials
 * of snapshot S plus its realtime partials that S does not cover give its feature vector at any time
 * {@code t} (docs/architecture.md, "Time, windows and the cut between the layers"). Batch and realtime
 * partials hold disjoint sets of events, so each window is the merge of the two sources' partials over
 * it; the laws are in {@code ViewMergeLawTest}. Immutable and thread-safe.
 */
public final class ViewMerge {

    private final FeaturePlan plan;
    private final FeatureLayout layout;

    public ViewMerge(FeaturePlan plan, FeatureLayout layout) {
        this.plan = plan;
        this.layout = layout;
    }

    public FeatureLayout layout() {
        return layout;
    }

    /** The realtime half of a key: its rows the cut does not cover, merged into one set of tiles. */
    public EntityTiles uncovered(List<RealtimePartials> rows, ServingCut cut) {
        EntityTiles merged = plan.newEntity();
        for (RealtimePartials row : rows) {
            if (!cut.covers(row.generation(), row.epoch())) {
                merged.mergeFrom(row.tiles());
            }
        }
        return merged;
    }

    /** The newest event time either half reflects; {@code Long.MIN_VALUE} if neither has an event. */
    public static long newestEventTime(BatchPartials batch, EntityTiles realtime) {
        return Math.max(batch == null ? Long.MIN_VALUE : batch.watermark(), realtime == null ? Long.MIN_VALUE : realtime.watermark());
    }

    /**
     * The key's vector at {@code readTime}.
     *
     * @param batch the key's batch partials, or {@code null} if the view does not hold the key
     * @param realtime its uncovered realtime tiles ({@link #uncovered}), or {@code null} if none
     * @param current the event being scored (its fields fill the event columns), or {@code null}
     * @throws BeforeHorizonException if {@code readTime} is before the batch view's horizon
     */
    public double[] vector(BatchPartials batch, EntityTiles realtime, long readTime, Event current) {
        double[] vector = new double[layout.size()];
        assembleInto(vector, batch, realtime, readTime, current);
        return vector;
    }

    /** {@link #vector} into a caller's array. */
    public void assembleInto(double[] vector, BatchPartials batch, EntityTiles realtime, long readTime, Event current) {
        layout.assembleInto(vector, (column, index, time) -> read(column, batch,
                realtime == null ? null : realtime.tiles(column.aggregation()), time), readTime, current);
    }

    /**
     * {@link #assembleInto} for a key read again at later times (the speed layer: each of its events), with
     * each window's partial kept in {@code reads} and extended by the realtime slices since its last read
     * when that is exact and the key is busy ({@link WindowReads}); the vector is the same
     * ({@code WindowReadsTest}).
     */
    public void assembleInto(double[] vector, BatchPartials batch, EntityTiles realtime, long readTime, Event current, WindowReads reads) {
        WindowReads.Kept[] kept = realtime == null ? null : reads.forRead(layout, readTime, plan.grid().tileMillis());
        if (kept == null) {
            assembleInto(vector, batch, realtime, readTime, current);
            return;
        }
        layout.assembleInto(vector, (column, index, time) -> {
            TileSet tiles = realtime.tiles(column.aggregation());
            long spanStart = column.window().spanAt(time, plan.grid()).start();
            WindowReads.Kept last = kept[index];
            if (last != null && last.extendTo(batch, tiles, spanStart, time)) {
                return last.partial;
            }
            Partial partial = read(column, batch, tiles, time);
            kept[index] = WindowReads.Kept.keepable(batch, tiles, time) ? new WindowReads.Kept(batch, tiles, spanStart, time, partial) : null;
            return partial;
        }, readTime, current);
    }

    /** One window: the realtime tiles' slices in it (none if {@code tiles} is null), then the batch partials'. */
    private Partial read(FeatureColumn.Aggregate column, BatchPartials batch, TileSet tiles, long time) {
        Partial window = tiles == null ? column.op().newPartial() : tiles.read(column.window(), time);
        if (batch != null) {
            batch.readInto(window, plan.indexOf(column.aggregation()), column.window(), time);
        }
        return window;
    }
}
