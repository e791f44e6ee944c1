package io.tessera.featurestore.merge;

import io.tessera.featurestore.tile.EntityTiles;
import java.util.Objects;

/**
 * One realtime row of a key: the partials of the events the speed layer's generation {@code generation}
 * processed for the key in epoch {@code epoch} ({@link io.tessera.featurestore.contract.ServingCut}).
 */
public record RealtimePartials(long generation, long epoch, EntityTiles tiles) {

    public RealtimePartials {
        Objects.requireNonNull(tiles, "tiles");
        if (generation < 1 || epoch < 1) {
            throw new IllegalArgumentException("realtime partials have a generation and an epoch >= 1, got " + generation + "/" + epoch);
        }
    }
}
