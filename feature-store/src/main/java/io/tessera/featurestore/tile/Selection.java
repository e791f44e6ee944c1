package io.tessera.featurestore.tile;

/**
 * Which aggregations of a plan one event enters ({@link FeaturePlan#select}): each {@code where} is
 * evaluated once per event, and the selection is applied to every set of tiles the event goes to (the
 * speed layer adds an event to its key's merged tiles and to its epoch's row). Bit {@code i} is
 * aggregation {@code i}; a plan of up to 64 aggregations needs one long. Immutable.
 */
public final class Selection {

    private final long[] bits;

    private Selection(long[] bits) {
        this.bits = bits;
    }

    /** A selection from {@link #bits} (an engine that carries it between processes). */
    public static Selection of(long[] bits) {
        return new Selection(bits.clone());
    }

    static Selection empty(int aggregations) {
        return new Selection(new long[(aggregations + Long.SIZE - 1) / Long.SIZE]);
    }

    void include(int aggregation) {
        bits[aggregation / Long.SIZE] |= 1L << aggregation;
    }

    public boolean includes(int aggregation) {
        return (bits[aggregation / Long.SIZE] & (1L << aggregation)) != 0;
    }

    /** The bits, a copy: bit {@code i % 64} of word {@code i / 64} is aggregation {@code i}. */
    public long[] bits() {
        return bits.clone();
    }
}
