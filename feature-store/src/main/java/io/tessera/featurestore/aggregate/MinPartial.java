package io.tessera.featurestore.aggregate;

/** Smallest value of a numeric field; {@code -0.0} is smaller than {@code 0.0} ({@link Math#min}). */
public final class MinPartial implements Partial, Partial.TakesNumbers {

    private boolean present;
    private double value;

    MinPartial() {
    }

    MinPartial(double value) {
        this.present = true;
        this.value = value;
    }

    @Override
    public Op op() {
        return Op.MIN;
    }

    @Override
    public void add(double v, long eventTime) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("min takes finite values, got " + v);
        }
        value = present ? Math.min(value, v) : v;
        present = true;
    }

    @Override
    public boolean isEmpty() {
        return !present;
    }

    @Override
    public void mergeFrom(Partial other) {
        if (!(other instanceof MinPartial that)) {
            throw Partial.mismatch(this, other);
        }
        if (that.present) {
            add(that.value, 0L);
        }
    }

    /** The minimum; {@code NaN} over no events. */
    @Override
    public double finish() {
        return present ? value : Double.NaN;
    }

    @Override
    public MinPartial copy() {
        return present ? new MinPartial(value) : new MinPartial();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinPartial that && that.present == present
                && Double.compare(that.finish(), finish()) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(finish());
    }

    @Override
    public String toString() {
        return "min(" + finish() + ")";
    }
}
