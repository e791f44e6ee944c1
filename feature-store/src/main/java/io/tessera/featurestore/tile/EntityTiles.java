package io.tessera.featurestore.tile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every aggregation's tiles for one entity key, and the key's watermark (the latest event time accepted
 * for it). This is the per-key state an engine keeps, and what the serving layer rebuilds from the batch
 * and realtime views before assembling a vector. Made by {@link FeaturePlan#newEntity()}. Not
 * thread-safe.
 */
public final class EntityTiles {

    private final Map<String, TileSet> byAggregation;
    private long watermark = Long.MIN_VALUE;

    EntityTiles(Map<String, TileSet> byAggregation) {
        this.byAggregation = byAggregation;
    }

    /**
     * @throws IllegalArgumentException if the plan has no such aggregation
     */
    public TileSet tiles(String aggregation) {
        TileSet tiles = byAggregation.get(aggregation);
        if (tiles == null) {
            throw new IllegalArgumentException("no aggregation '" + aggregation + "' (have " + byAggregation.keySet() + ")");
        }
        return tiles;
    }

    /** Aggregation name to tiles, in spec order; read-only. */
    public Map<String, TileSet> all() {
        return Collections.unmodifiableMap(byAggregation);
    }

    /** The latest event time accepted for this key; {@code Long.MIN_VALUE} before the first. */
    public long watermark() {
        return watermark;
    }

    /** Events before this time are late for at least one aggregation (see {@link TileSet#seal}). */
    public long sealedBefore() {
        long sealed = Long.MIN_VALUE;
        for (TileSet tiles : byAggregation.values()) {
            sealed = Math.max(sealed, tiles.sealedBefore());
        }
        return sealed;
    }

    void advanceWatermark(long eventTime) {
        watermark = Math.max(watermark, eventTime);
    }

    /** Merges another source's tiles for the same key (batch view + realtime view). */
    public void mergeFrom(EntityTiles other) {
        for (Map.Entry<String, TileSet> e : other.byAggregation.entrySet()) {
            tiles(e.getKey()).mergeFrom(e.getValue());
        }
        watermark = Math.max(watermark, other.watermark);
    }

    /** @param tiles in plan order, made for this key: taken over, not copied (a speed-layer row is made per epoch and key) */
    static EntityTiles of(LinkedHashMap<String, TileSet> tiles) {
        return new EntityTiles(tiles);
    }
}
