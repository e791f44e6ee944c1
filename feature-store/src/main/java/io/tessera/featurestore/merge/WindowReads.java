package io.tessera.featurestore.merge;

import io.tessera.featurestore.aggregate.Partial;
import io.tessera.featurestore.tile.TileSet;
import io.tessera.featurestore.vector.FeatureLayout;

/**
 * One key's window reads, kept from one of its vectors to the next: the speed layer reads a key's windows
 * at each of its events, and a window read at {@code t2} holds what it held at {@code t1} plus the
 * realtime slices of {@code [t1, t2)}, so {@link ViewMerge#assembleInto(double[], BatchPartials,
 * io.tessera.featurestore.tile.EntityTiles, long, io.tessera.featurestore.event.Event, WindowReads)}
 * extends the kept partial instead of merging the window again (for an approx_distinct window over days,
 * that merge was most of an event's cost: docs/stack.md, "Flink").
 *
 * <p>A kept read is extended only when that is exact: the same batch partials, holding no event at or
 * after the kept read's time; the same realtime tiles, changed since only at or after that time
 * ({@link TileSet#rewrites}); the window starting where it did; a read time not earlier. Otherwise the
 * window is read again.
 *
 * <p>Reads are kept only for a busy key, one read again within a tile of its previous read: a key's window
 * start moves once a tile, so a key read less often would have its kept reads dropped unused, and until
 * then they would be garbage that lives long (a sketch per window per key). Not thread-safe: one per key,
 * used by the key's task.
 */
public final class WindowReads {

    /** A window's partial read at {@code readTime}, and what it was read from. */
    static final class Kept {
        final BatchPartials batch;
        final TileSet tiles;
        final long rewrites;
        final long spanStart;
        final Partial partial;
        long readTime;

        Kept(BatchPartials batch, TileSet tiles, long spanStart, long readTime, Partial partial) {
            this.batch = batch;
            this.tiles = tiles;
            this.rewrites = tiles.rewrites();
            this.spanStart = spanStart;
            this.readTime = readTime;
            this.partial = partial;
        }

        /**
         * Brings the kept partial to a read at {@code time}, if it can be exactly and stay {@link #keepable}
         * (the batch part holds: the same batch partials, with nothing at or after the earlier read time).
         *
         * @return false if the window must be read again
         */
        boolean extendTo(BatchPartials batch, TileSet tiles, long spanStart, long time) {
            if (batch != this.batch || tiles != this.tiles || tiles.rewrites() != rewrites || spanStart != this.spanStart
                    || time < readTime || tiles.newestStart() < time || !tiles.mergeSlicesInto(partial, readTime, time)) {
                return false;
            }
            readTime = time;
            return true;
        }

        /**
         * Whether a read at {@code time} can be extended later: nothing of the batch lies at or after it, and
         * a slice to come lies before it only with a {@linkplain TileSet#rewrites rewrite}.
         */
        static boolean keepable(BatchPartials batch, TileSet tiles, long time) {
            return (batch == null || batch.watermark() < time) && tiles.newestStart() >= time;
        }
    }

    private FeatureLayout layout;
    private Kept[] kept;
    private long previousRead = Long.MIN_VALUE;

    /**
     * The kept reads of {@code layout}'s columns for a read at {@code readTime}, or null if the key is not
     * busy (then it keeps none); a key read under another layout starts over.
     */
    Kept[] forRead(FeatureLayout layout, long readTime, long tileMillis) {
        boolean busy = previousRead != Long.MIN_VALUE && Math.abs(readTime - previousRead) < tileMillis;
        previousRead = readTime;
        if (!busy) {
            kept = null;
            return null;
        }
        if (this.layout != layout || kept == null) {
            this.layout = layout;
            this.kept = new Kept[layout.size()];
        }
        return kept;
    }
}
