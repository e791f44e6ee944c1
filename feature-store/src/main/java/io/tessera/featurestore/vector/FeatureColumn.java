package io.tessera.featurestore.vector;

import io.tessera.featurestore.aggregate.Op;
import io.tessera.featurestore.time.Window;

/**
 * One column of the feature vector. Every column is a double.
 *
 * @param index position in the vector
 * @param name {@code txn_count_1h}, {@code amt}, {@code category=grocery_pos}
 */
public record FeatureColumn(int index, String name, Source source) {

    /** Where a column's value comes from. */
    public sealed interface Source permits Aggregate, EventValue, OneHot {
    }

    /**
     * A window of an aggregation, read at the vector's time.
     *
     * @param defaultValue the value when the window holds no event and the op has none
     */
    public record Aggregate(String aggregation, Op op, Window window, double defaultValue) implements Source {
    }

    /** A numeric or boolean field of the scored event. */
    public record EventValue(String field) implements Source {
    }

    /** 1.0 if the scored event's {@code field} equals {@code category}, else 0.0. */
    public record OneHot(String field, String category) implements Source {
    }
}
