package io.tessera.featurestore.aggregate;

/** Number of events. */
public final class CountPartial implements Partial, Partial.CountsEvents {

    private long count;

    CountPartial() {
    }

    CountPartial(long count) {
        this.count = count;
    }

    @Override
    public Op op() {
        return Op.COUNT;
    }

    @Override
    public void add(long eventTime) {
        count++;
    }

    public long count() {
        return count;
    }

    @Override
    public boolean isEmpty() {
        return count == 0;
    }

    @Override
    public void mergeFrom(Partial other) {
        if (!(other instanceof CountPartial that)) {
            throw Partial.mismatch(this, other);
        }
        count += that.count;
    }

    @Override
    public double finish() {
        return count;
    }

    @Override
    public CountPartial copy() {
        return new CountPartial(count);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CountPartial that && that.count == count;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count);
    }

    @Override
    public String toString() {
        return "count(" + count + ")";
    }
}
