package io.tessera.featurestore.vector;

import io.tessera.featurestore.aggregate.Partial;

/**
 * Where {@link FeatureLayout} reads a key's aggregates from: the tiles of one source, or the merge of
 * the batch and realtime views.
 */
@FunctionalInterface
public interface AggregateReader {

    /**
     * The partial of {@code column}'s aggregation over its window read at {@code readTime}; the caller
     * must not change it (a reader may keep it for its next read).
     *
     * @param index the column's position in the vector, for a reader that keeps something per column
     */
    Partial read(FeatureColumn.Aggregate column, int index, long readTime);
}
