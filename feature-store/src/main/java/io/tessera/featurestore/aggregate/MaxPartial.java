package io.tessera.featurestore.aggregate;

/** Largest value of a numeric field; {@code 0.0} is larger than {@code -0.0} ({@link Math#max}). */
public final class MaxPartial implements Partial, Partial.TakesNumbers {

    private boolean present;
    private double value;

    MaxPartial() {
    }

    MaxPartial(double value) {
        this.present = true;
        this.value = value;
    }

    @Override
    public Op op() {
        return Op.MAX;
    }

    @Override
    public void add(double v, long eventTime) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("max takes finite values, got " + v);
        }
        value = present ? Math.max(value, v) : v;
        present = true;
    }

    @Override
    public boolean isEmpty() {
        return !present;
    }

    @Override
    public void mergeFrom(Partial other) {
        if (!(other instanceof MaxPartial that)) {
            throw Partial.mismatch(this, other);
        }
        if (that.present) {
            add(that.value, 0L);
        }
    }

    /** The maximum; {@code NaN} over no events. */
    @Override
    public double finish() {
        return present ? value : Double.NaN;
    }

    @Override
    public MaxPartial copy() {
        return present ? new MaxPartial(value) : new MaxPartial();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaxPartial that && that.present == present
                && Double.compare(that.finish(), finish()) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(finish());
    }

    @Override
    public String toString() {
        return "max(" + finish() + ")";
    }
}
