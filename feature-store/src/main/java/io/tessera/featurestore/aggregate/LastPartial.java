package io.tessera.featurestore.aggregate;

/**
 * The value of the event with the latest event time.
 *
 * <p>Ties: of events with the same (latest) timestamp, the greatest value wins, in
 * {@link Double#compare} order. Arrival order cannot break ties, because engines see events in different
 * orders; a value-based rule needs no extra data, keeps merge commutative and associative, and makes
 * every engine agree.
 */
public final class LastPartial implements Partial, Partial.TakesNumbers {

    private boolean present;
    private long time;
    private double value;

    LastPartial() {
    }

    LastPartial(long time, double value) {
        this.present = true;
        this.time = time;
        this.value = value;
    }

    @Override
    public Op op() {
        return Op.LAST;
    }

    @Override
    public void add(double v, long eventTime) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("last takes finite values, got " + v);
        }
        if (!present || eventTime > time || (eventTime == time && Double.compare(v, value) > 0)) {
            present = true;
            time = eventTime;
            value = v;
        }
    }

    @Override
    public boolean isEmpty() {
        return !present;
    }

    /** Event time of the value; meaningless when empty. */
    public long time() {
        return time;
    }

    @Override
    public void mergeFrom(Partial other) {
        if (!(other instanceof LastPartial that)) {
            throw Partial.mismatch(this, other);
        }
        if (that.present) {
            add(that.value, that.time);
        }
    }

    /** The latest value; {@code NaN} over no events. */
    @Override
    public double finish() {
        return present ? value : Double.NaN;
    }

    @Override
    public LastPartial copy() {
        return present ? new LastPartial(time, value) : new LastPartial();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LastPartial that && that.present == present
                && (!present || (that.time == time && Double.compare(that.value, value) == 0));
    }

    @Override
    public int hashCode() {
        return present ? 31 * Long.hashCode(time) + Double.hashCode(value) : 0;
    }

    @Override
    public String toString() {
        return present ? "last(" + value + "@" + time + ")" : "last()";
    }
}
