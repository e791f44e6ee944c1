package io.tessera.serving.store;

import java.util.Objects;
import java.util.Optional;

/**
 * One key's row of a batch view version: what the batch layer writes and the reader reads.
 *
 * @param partials the key's {@code BatchPartials}, encoded
 * @param events how many of its events the view's snapshot holds
 * @param newestEventTime its newest event in the snapshot, UTC epoch milliseconds
 * @param newestEventVector that event's point-in-time vector, in the view's feature order
 * @param score the view's champion's score of that vector; empty when the view carries no scores
 */
public record BatchViewRow(String entity, byte[] partials, long events, long newestEventTime, double[] newestEventVector,
        Optional<Double> score) {

    public BatchViewRow {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(partials, "partials");
        Objects.requireNonNull(newestEventVector, "newestEventVector");
        Objects.requireNonNull(score, "score");
    }
}
