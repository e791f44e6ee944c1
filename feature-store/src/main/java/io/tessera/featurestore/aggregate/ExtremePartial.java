package io.tessera.featurestore.aggregate;

/**
 * Smallest ({@link Op#MIN}) or largest ({@link Op#MAX}) value of a numeric field, with {@link Math#min}
 * and {@link Math#max} semantics: {@code -0.0} is smaller than {@code 0.0}. One class for both: they
 * differ only in which of two values is kept.
 */
public final class ExtremePartial implements Partial, Partial.TakesNumbers {

    private final Op op;
    private boolean present;
    private double value;

    ExtremePartial(Op op) {
        if (op != Op.MIN && op != Op.MAX) {
            throw new IllegalArgumentException("an extreme is min or max, not " + op);
        }
        this.op = op;
    }

    ExtremePartial(Op op, double value) {
        this(op);
        this.present = true;
        this.value = value;
    }

    @Override
    public Op op() {
        return op;
    }

    @Override
    public void add(double v, long eventTime) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(op.name().toLowerCase() + " takes finite values, got " + v);
        }
        value = !present ? v : op == Op.MIN ? Math.min(value, v) : Math.max(value, v);
        present = true;
    }

    @Override
    public boolean isEmpty() {
        return !present;
    }

    @Override
    public void mergeFrom(Partial other) {
        if (!(other instanceof ExtremePartial that) || that.op != op) {
            throw Partial.mismatch(this, other);
        }
        if (that.present) {
            add(that.value, 0L);
        }
    }

    /** The minimum or maximum; {@code NaN} over no events. */
    @Override
    public double finish() {
        return present ? value : Double.NaN;
    }

    @Override
    public ExtremePartial copy() {
        return present ? new ExtremePartial(op, value) : new ExtremePartial(op);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtremePartial that && that.op == op && that.present == present
                && Double.compare(that.finish(), finish()) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * op.hashCode() + Double.hashCode(finish());
    }

    @Override
    public String toString() {
        return op.name().toLowerCase() + "(" + finish() + ")";
    }
}
