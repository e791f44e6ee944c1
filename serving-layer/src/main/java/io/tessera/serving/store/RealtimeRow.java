package io.tessera.serving.store;

import java.util.Objects;

/**
 * One realtime row of a key: the partials (an encoded {@code EntityTiles}) of the events the speed
 * layer's generation processed for the key in one epoch. Written whole, so a replay after recovery
 * converges to the same row.
 */
public record RealtimeRow(String entity, long generation, long epoch, byte[] partials) {

    public RealtimeRow {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(partials, "partials");
    }
}
