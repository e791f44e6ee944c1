package io.tessera.featurestore.time;

import java.time.Duration;

/**
 * Tiles of one size aligned to the epoch: tile {@code k} covers {@code [k*size, (k+1)*size)}.
 *
 * <p>Negative times work too (floor division), so tile boundaries never depend on where a stream starts.
 */
public record TileGrid(long tileMillis) {

    public TileGrid {
        if (tileMillis <= 0) {
            throw new IllegalArgumentException("tile size must be positive, got " + tileMillis + " ms");
        }
    }

    public static TileGrid of(Duration tile) {
        return new TileGrid(tile.toMillis());
    }

    public long tileOf(long time) {
        return Math.floorDiv(time, tileMillis);
    }

    /**
     * The start of the tile holding {@code time}: {@code floor_s(time)} in docs/architecture.md, "Time,
     * windows and the cut between the layers".
     */
    public long floor(long time) {
        return Math.floorDiv(time, tileMillis) * tileMillis;
    }

    public boolean isBoundary(long time) {
        return Math.floorMod(time, tileMillis) == 0;
    }

    public TimeSpan tile(long index) {
        return TimeSpan.shared(index * tileMillis, (index + 1) * tileMillis);
    }

    public TimeSpan tileHolding(long time) {
        return tile(tileOf(time));
    }

    /**
     * The slice an event is stored in by a writer that knows its seal boundary (the batch layer, grouping
     * a snapshot by key and slice): the whole tile if the tile is sealed, else the event's own
     * millisecond. Same result as adding the event to a {@code TileSet} and sealing at the boundary.
     *
     * @param sealBoundary a tile boundary, e.g. {@code LatenessPolicy.sealBoundary(max event time of the key)}
     */
    public TimeSpan sliceFor(long eventTime, long sealBoundary) {
        return eventTime < sealBoundary ? tileHolding(eventTime) : TimeSpan.instant(eventTime);
    }

    /** True if the span lies inside a single tile (a whole tile or a part of one). */
    public boolean withinOneTile(TimeSpan span) {
        return tileOf(span.start()) == tileOf(span.end() - 1);
    }
}
