package io.tessera.featurestore.aggregate;

/**
 * The intermediate state of one {@link Op} over a set of events: what a tile stores.
 *
 * <p>Partials are mutable accumulators, like the accumulators of Flink's {@code AggregateFunction} and
 * Spark's {@code Aggregator}, so engines can fold events in without allocating. They are not
 * thread-safe. How events go in is a capability of the concrete type: {@link CountsEvents},
 * {@link TakesNumbers} or {@link TakesValues}.
 *
 * <p>Laws (checked by property tests): {@link #mergeFrom} is associative and commutative, an empty partial
 * is its identity, and a partial's {@link #finish()} and {@link PartialCodec encoding} depend only on the
 * multiset of events it has seen, never on their order or grouping.
 */
public sealed interface Partial
        permits CountPartial, SumPartial, MeanPartial, ExtremePartial, LastPartial, DistinctPartial {

    Op op();

    /** True if no event has been added or merged in. */
    boolean isEmpty();

    /**
     * Folds {@code other} into this partial; {@code other} is left unchanged.
     *
     * @throws IllegalArgumentException if {@code other} is a partial of another op
     */
    void mergeFrom(Partial other);

    /**
     * The value of the feature. {@code NaN} where the op has no value over no events (mean, min, max,
     * last); the feature layout replaces that by the spec's {@code default}.
     */
    double finish();

    /** An independent copy. */
    Partial copy();

    /** {@code merge(a, b)} without touching either argument. */
    static Partial merge(Partial a, Partial b) {
        Partial merged = a.copy();
        merged.mergeFrom(b);
        return merged;
    }

    /** Capability: the op counts events and reads nothing from them. */
    interface CountsEvents {
        void add(long eventTime);
    }

    /** Capability: the op reads a finite number from each event. */
    interface TakesNumbers {
        /** @throws IllegalArgumentException if the value is not finite */
        void add(double value, long eventTime);
    }

    /** Capability: the op reads a value of any type; one field always has one type. */
    interface TakesValues {
        void add(String value, long eventTime);

        void add(long value, long eventTime);

        void add(double value, long eventTime);

        void add(boolean value, long eventTime);
    }

    /** The exception every implementation throws for a merge across ops. */
    static IllegalArgumentException mismatch(Partial self, Partial other) {
        return new IllegalArgumentException("cannot merge a " + other.op().specName() + " partial into a "
                + self.op().specName() + " partial");
    }
}
