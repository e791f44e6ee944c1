package io.tessera.featurestore.aggregate;

import java.util.Arrays;

/**
 * The exact sum of finite doubles, rounded once when read.
 *
 * <p>Why: floating-point addition is not associative, so a sum merged from tiles in one grouping (batch
 * tiles + speed tiles) would differ in the last bits from the sum recomputed over raw events, and the
 * layers would disagree. Keeping the sum exact makes it independent of grouping and order.
 *
 * <p>How: Shewchuk's non-overlapping expansion (the algorithm behind Python's {@code math.fsum}): the exact
 * value is held as a short list of doubles of increasing magnitude whose sum is exact; it is usually one
 * to three doubles long. {@link #value()} is the exact sum correctly rounded to the nearest double (ties
 * to even); {@link #canonical()} is a representation that depends only on the exact value, for encoding.
 *
 * <p>Not thread-safe. Inputs must be finite; a sum whose partial results leave the double range throws.
 */
final class ExactSum {

    /** Non-overlapping, increasing magnitude, no zeros; grown when full (most sums are one value: a slice of one event). */
    private double[] parts;
    private int size;

    private static final double[] NO_PARTS = {};

    ExactSum() {
        parts = NO_PARTS;
    }

    private ExactSum(double[] parts, int size) {
        this.parts = parts;
        this.size = size;
    }

    ExactSum copy() {
        return new ExactSum(Arrays.copyOf(parts, size), size);
    }

    boolean isZero() {
        return size == 0;
    }

    void add(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("sum takes finite values, got " + x);
        }
        int kept = 0;
        for (int j = 0; j < size; j++) {
            double y = parts[j];
            if (Math.abs(x) < Math.abs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0) {
                parts[kept++] = lo;
            }
            x = hi;
        }
        size = kept;
        if (x != 0.0) {
            if (!Double.isFinite(x)) {
                throw new ArithmeticException("sum leaves the range of double");
            }
            if (size == parts.length) {
                parts = Arrays.copyOf(parts, Math.max(1, parts.length * 2));
            }
            parts[size++] = x;
        }
    }

    void addAll(ExactSum other) {
        // other may be this: iterate over a snapshot
        double[] theirs = other == this ? Arrays.copyOf(parts, size) : other.parts;
        int n = other == this ? size : other.size;
        for (int i = 0; i < n; i++) {
            add(theirs[i]);
        }
    }

    /** The exact sum rounded to the nearest double, ties to even (CPython's {@code math_fsum} ending). */
    double value() {
        return roundedSum(parts, size);
    }

    private static double roundedSum(double[] p, int n) {
        if (n == 0) {
            return 0.0;
        }
        double hi = p[--n];
        double lo = 0.0;
        while (n > 0) {
            double x = hi;
            double y = p[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                break;
            }
        }
        // Round half to even across several parts: a tie in hi + lo is broken by the sign of what is left.
        if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr) {
                hi = x;
            }
        }
        return hi;
    }

    /**
     * A representation of the exact value that does not depend on how it was reached: the greedy
     * expansion {@code v1 = round(S), v2 = round(S - v1), ...}, largest first. Equal exact sums give equal
     * arrays, which is what makes the binary encoding of a partial identical whichever engine wrote it.
     */
    double[] canonical() {
        if (size <= 1) {
            // one part is its own greedy expansion (most slices hold one value, and a row is encoded per event)
            return size == 0 ? new double[0] : new double[] {parts[0]};
        }
        ExactSum rest = copy();
        double[] out = new double[rest.size];
        int n = 0;
        while (!rest.isZero()) {
            double v = rest.value();
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length + 2);
            }
            out[n++] = v;
            rest.add(-v);
        }
        return Arrays.copyOf(out, n);
    }

    static ExactSum ofCanonical(double[] components) {
        ExactSum sum = new ExactSum();
        for (int i = components.length - 1; i >= 0; i--) {
            sum.add(components[i]);
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExactSum other && Arrays.equals(canonical(), other.canonical());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(canonical());
    }

    @Override
    public String toString() {
        return Double.toString(value());
    }
}
