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
    public sealed interface Source permits Aggregate, EventValue, OneHot, OtherCategory {
    }

    /**
     * A window of an aggregation, read at the vector's time.
     *
     * @param defaultValue the value when the window holds no event and the op has none
     */
    public record Aggregate(String aggregation, Op op, Window window, double defaultValue) implements Source {
    }

    /**
     * A numeric or boolean field of the scored event.
     *
     * @param absent the value where the event has none: the field's {@code default:}, else 0
     */
    public record EventValue(String field, double absent) implements Source {

        /** A column of a field without a default. */
        public EventValue(String field) {
            this(field, 0.0);
        }
    }

    /**
     * 1.0 if the scored event's {@code field} equals {@code category}, else 0.0.
     *
     * @param absentMatches whether an event without the field counts as this category: its
     *     {@code default:} is the category (without a default, an absent value is no category)
     */
    public record OneHot(String field, String category, boolean absentMatches) implements Source {

        /** A column of a field without a default. */
        public OneHot(String field, String category) {
            this(field, category, false);
        }
    }

    /**
     * 1.0 if the scored event's {@code field} has a value outside {@code known}, the learned vocabulary:
     * the {@value io.tessera.featurestore.spec.EventFeatureSpec#OTHER_CATEGORY} column after it.
     *
     * @param absentMatches whether an event without the field counts as another category: its
     *     {@code default:} is outside the vocabulary (without a default, an absent value is no category)
     */
    public record OtherCategory(String field, java.util.Set<String> known, boolean absentMatches) implements Source {

        public OtherCategory {
            known = java.util.Set.copyOf(known);
        }
    }
}
