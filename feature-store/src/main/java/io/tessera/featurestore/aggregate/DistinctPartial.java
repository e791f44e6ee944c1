package io.tessera.featurestore.aggregate;

import java.util.Arrays;
import org.apache.datasketches.cpc.CpcSketch;
import org.apache.datasketches.cpc.CpcUnion;

/**
 * Approximate number of distinct values: an Apache DataSketches CPC sketch with {@code lgK = 11}.
 *
 * <p>Why CPC: a CPC sketch is a set of coupons, so after a pass through {@link CpcUnion} its serialized
 * image and its estimate depend only on the set of values seen, not on insertion order or on how the
 * values were split across tiles (HLL keeps order-dependent HIP state and its union result differs with
 * the grouping; we checked both). That gives identical bytes whichever engine wrote a tile, and
 * merge(batch, speed) equal to recompute(all) exactly, estimate included. It is also about half the size
 * of HLL_8 for the same accuracy.
 *
 * <p>Error: the estimate of a merged CPC sketch (ICON estimator) has a relative standard error of about
 * {@code 0.693 / sqrt(2^11)}, i.e. 1.5%, and is exact for small counts in practice; the sketch reports
 * its own bounds ({@link #upperBound(int)}, {@link #lowerBound(int)}).
 *
 * <p>Cost: a union is paid only where a sketch is past its sparse form (a key's week of merchants): some
 * 5 µs here, a speed-layer event's largest cost when it ran for every window read (docs/stack.md, "Flink").
 * So a partial that holds only a few values it was given (a millisecond slice of the speed layer) is merged
 * into another by giving it those values, a sketch update each, which sets the same coupons; and the
 * estimate of a sketch that came out of a union is read as is, since updates leave it the ICON estimate
 * of its coupons, which a union of the same values gives too. Such a partial makes no sketch until one is
 * needed (a read of its own, an encoding, a ninth value): most speed-layer slices hold one value, and their
 * sketches were three objects each in a key's state, traced by every collection (docs/stack.md, "Flink").
 *
 * <p>Values are hashed by type: strings as UTF-8, integers as longs, doubles canonically. DataSketches
 * ignores empty strings, so {@code ""} is not counted.
 */
public final class DistinctPartial implements Partial, Partial.TakesValues {

    /** Fixed: part of the binary format (changing it is a new format version). */
    public static final int LG_K = 11;

    /** The values seen; null while merges wait in {@link #union}, or while {@link #given} holds them all and none was needed. */
    private CpcSketch sketch;
    /**
     * Merges not folded yet: a window read merges many partials into one, and a union that takes them all
     * costs one result instead of one per merge.
     */
    private CpcUnion union;
    /** True if {@link #sketch} is in canonical form (what a union yields), so it need not pass through one again. */
    private boolean canonical;
    /** The canonical sketch serialized, kept until the values change: a slice is encoded with its key's row per event. */
    private byte[] image;
    /**
     * True if {@link #sketch} came out of a union (then updated or not): its estimate is the ICON estimate of its
     * coupons, a function of the set of values, so {@link #finish} needs no canonical pass.
     */
    private boolean merged;
    /**
     * The values given to this partial ({@code String}, {@code Long} or {@code Double}) while they are all it holds
     * and at most {@value #REPLAYABLE}; null after a merge into it, past that many, or if it was read from bytes.
     */
    private Object[] given = NONE_GIVEN;
    private int givenCount;

    /** The most values kept to be replayed into another partial instead of a union. */
    private static final int REPLAYABLE = 8;
    private static final Object[] NONE_GIVEN = {};

    DistinctPartial() {
    }

    /** @param canonicalSketch a union's result, or a canonical image read back */
    DistinctPartial(CpcSketch canonicalSketch) {
        if (canonicalSketch.getLgK() != LG_K) {
            throw new IllegalArgumentException("approx_distinct sketch must have lgK " + LG_K + ", got " + canonicalSketch.getLgK());
        }
        this.sketch = canonicalSketch;
        this.canonical = true;
        this.merged = true;
        this.given = null;
    }

    @Override
    public Op op() {
        return Op.APPROX_DISTINCT;
    }

    @Override
    public void add(String value, long eventTime) {
        take(value);
    }

    @Override
    public void add(long value, long eventTime) {
        take(value);   // boxed: the value is kept for a replay anyway
    }

    @Override
    public void add(double value, long eventTime) {
        take(value);
    }

    @Override
    public void add(boolean value, long eventTime) {
        add(value ? 1L : 0L, eventTime);
    }

    /**
     * Updates the sketch, unless none is made yet and the value can wait with the others given (then there
     * is no image to forget either: one is made only with a sketch), and keeps it for a replay.
     */
    private void take(Object value) {
        if (!deferred() || givenCount == REPLAYABLE) {
            update(updatable(), value);
        }
        keep(value);
    }

    private void keep(Object value) {
        if (given == null) {
            return;
        }
        if (givenCount == given.length) {
            if (givenCount == REPLAYABLE) {
                given = null;
                return;
            }
            given = Arrays.copyOf(given, Math.max(1, Math.min(REPLAYABLE, 2 * givenCount)));
        }
        given[givenCount++] = value;
    }

    private static void update(CpcSketch sketch, Object value) {
        if (value instanceof String text) {
            sketch.update(text);
        } else if (value instanceof Long number) {
            sketch.update(number.longValue());
        } else {
            sketch.update(((Double) value).doubleValue());
        }
    }

    private CpcSketch updatable() {
        CpcSketch current = current();
        canonical = false;
        image = null;
        return current;
    }

    /** True while the values given are all it holds and no sketch of them was made. */
    private boolean deferred() {
        return sketch == null && union == null;
    }

    /** The sketch of everything seen and merged so far, folding pending merges or making it from the values given. */
    private CpcSketch current() {
        if (union != null) {
            sketch = union.getResult();
            union = null;
            canonical = true;
            merged = true;
        } else if (sketch == null) {
            sketch = sketchOfGiven();
        }
        return sketch;
    }

    private CpcSketch sketchOfGiven() {
        CpcSketch made = new CpcSketch(LG_K);
        for (int i = 0; i < givenCount; i++) {
            update(made, given[i]);
        }
        return made;
    }

    @Override
    public boolean isEmpty() {
        if (deferred()) {
            for (int i = 0; i < givenCount; i++) {
                if (!(given[i] instanceof String text) || !text.isEmpty()) {
                    return false;   // the sketch counts every number and every string but ""
                }
            }
            return true;
        }
        return current().isEmpty();
    }

    @Override
    public void mergeFrom(Partial other) {
        if (!(other instanceof DistinctPartial that)) {
            throw Partial.mismatch(this, other);
        }
        if (that.given != null && union == null) {
            if (that.givenCount == 0) {
                return;
            }
            CpcSketch mine = updatable();
            for (int i = 0; i < that.givenCount; i++) {
                update(mine, that.given[i]);
            }
            given = null;
            return;
        }
        CpcSketch theirs = that.deferred() ? that.sketchOfGiven() : that.current();   // their values unsketched stay so
        if (theirs.isEmpty()) {
            return;
        }
        if (union == null) {
            CpcSketch mine = current();   // made from the values given if it had none
            union = new CpcUnion(LG_K);
            union.update(mine);
            sketch = null;
        }
        given = null;
        union.update(theirs);
        image = null;
    }

    /** The estimate of the canonical sketch: a function of the set of values only. */
    @Override
    public double finish() {
        return estimating().getEstimate();
    }

    public double upperBound(int standardDeviations) {
        return estimating().getUpperBound(standardDeviations);
    }

    public double lowerBound(int standardDeviations) {
        return estimating().getLowerBound(standardDeviations);
    }

    /** A sketch whose estimate and bounds are the canonical sketch's (see {@link #merged}). */
    private CpcSketch estimating() {
        CpcSketch current = current();
        return merged ? current : canonicalSketch();
    }

    /** {@link #canonicalSketch()} serialized: the stored image; owned by this partial, do not change it. */
    byte[] canonicalImage() {
        if (image == null) {
            image = canonicalSketch().toByteArray();
        }
        return image;
    }

    /** The sketch in its canonical (merged) form, see the class comment; owned by this partial, do not change it. */
    CpcSketch canonicalSketch() {
        CpcSketch current = current();
        if (!canonical) {
            CpcUnion once = new CpcUnion(LG_K);
            once.update(current);
            sketch = once.getResult();
            canonical = true;
            merged = true;
        }
        return sketch;
    }

    @Override
    public DistinctPartial copy() {
        if (deferred()) {
            DistinctPartial copy = new DistinctPartial();
            copy.given = Arrays.copyOf(given, givenCount);
            copy.givenCount = givenCount;
            return copy;
        }
        // DataSketches keeps CpcSketch.copy() to itself: a union of one is the public way to an independent sketch
        CpcUnion independent = new CpcUnion(LG_K);
        independent.update(canonicalSketch());
        return new DistinctPartial(independent.getResult());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistinctPartial that
                && Arrays.equals(that.canonicalImage(), canonicalImage());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(canonicalImage());
    }

    @Override
    public String toString() {
        return "approx_distinct(" + finish() + ")";
    }
}
