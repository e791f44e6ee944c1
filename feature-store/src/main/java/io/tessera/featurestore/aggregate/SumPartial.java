package io.tessera.featurestore.aggregate;

/** Exact sum of a numeric field, rounded once when finished (see {@link ExactSum} for why). */
public final class SumPartial implements Partial, Partial.TakesNumbers {

    final ExactSum sum;
    private boolean empty = true;

    SumPartial() {
        this.sum = new ExactSum();
    }

    SumPartial(ExactSum sum, boolean empty) {
        this.sum = sum;
        this.empty = empty;
    }

    @Override
    public Op op() {
        return Op.SUM;
    }

    @Override
    public void add(double value, long eventTime) {
        sum.add(value);
        empty = false;
    }

    @Override
    public boolean isEmpty() {
        return empty;
    }

    @Override
    public void mergeFrom(Partial other) {
        if (!(other instanceof SumPartial that)) {
            throw Partial.mismatch(this, other);
        }
        sum.addAll(that.sum);
        empty &= that.empty;
    }

    /** The sum; {@code 0} over no events. */
    @Override
    public double finish() {
        return sum.value();
    }

    @Override
    public SumPartial copy() {
        return new SumPartial(sum.copy(), empty);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SumPartial that && that.empty == empty && that.sum.equals(sum);
    }

    @Override
    public int hashCode() {
        return sum.hashCode();
    }

    @Override
    public String toString() {
        return "sum(" + sum + ")";
    }
}
