package io.tessera.featurestore.aggregate;

/**
 * Mean of a numeric field: an exact sum and a count. The mean is the correctly rounded sum divided by the
 * count, so it is the same double however the events were grouped into tiles.
 */
public final class MeanPartial implements Partial, Partial.TakesNumbers {

    final ExactSum sum;
    long count;

    MeanPartial() {
        this.sum = new ExactSum();
    }

    MeanPartial(ExactSum sum, long count) {
        this.sum = sum;
        this.count = count;
    }

    @Override
    public Op op() {
        return Op.MEAN;
    }

    @Override
    public void add(double value, long eventTime) {
        sum.add(value);
        count++;
    }

    @Override
    public boolean isEmpty() {
        return count == 0;
    }

    @Override
    public void mergeFrom(Partial other) {
        if (!(other instanceof MeanPartial that)) {
            throw Partial.mismatch(this, other);
        }
        sum.addAll(that.sum);
        count += that.count;
    }

    /** The mean; {@code NaN} over no events. */
    @Override
    public double finish() {
        return count == 0 ? Double.NaN : sum.value() / count;
    }

    @Override
    public MeanPartial copy() {
        return new MeanPartial(sum.copy(), count);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeanPartial that && that.count == count && that.sum.equals(sum);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(count) + sum.hashCode();
    }

    @Override
    public String toString() {
        return "mean(" + sum + "/" + count + ")";
    }
}
