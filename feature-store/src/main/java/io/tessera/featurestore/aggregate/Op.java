package io.tessera.featurestore.aggregate;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The aggregation ops a spec can name. Each one is a commutative monoid over its {@link Partial}s: merge
 * is associative and commutative and the empty partial is its identity, which is what lets tiles built
 * by different engines, in any order, be merged into exactly the answer a recomputation would give.
 *
 * <p>To add an op: add a constant here (with a new, never reused {@link #code()}), a {@link Partial}
 * implementation that declares its input capability ({@link CountsEvents}, {@link TakesNumbers} or
 * {@link TakesValues}), and its payload in {@link PartialCodec}. The compiler then points at every switch
 * that must learn about it.
 */
public enum Op {
    COUNT("count", Input.NONE, 1),
    SUM("sum", Input.NUMBER, 2),
    MEAN("mean", Input.NUMBER, 3),
    MIN("min", Input.NUMBER, 4),
    MAX("max", Input.NUMBER, 5),
    LAST("last", Input.NUMBER, 6),
    APPROX_DISTINCT("approx_distinct", Input.VALUE, 7);

    /** What an op reads from an event. */
    public enum Input {
        /** Nothing: the op counts events ({@code of} is not allowed). */
        NONE,
        /** A numeric field (int, long or double), as a double. */
        NUMBER,
        /** A field of any type. */
        VALUE
    }

    private final String specName;
    private final Input input;
    private final byte code;

    Op(String specName, Input input, int code) {
        this.specName = specName;
        this.input = input;
        this.code = (byte) code;
    }

    /** The name used in the spec, {@code approx_distinct}. */
    public String specName() {
        return specName;
    }

    public Input input() {
        return input;
    }

    /** The tag of this op in the binary encoding of partials; stable forever. */
    public byte code() {
        return code;
    }

    /** True if finishing a partial gives the exact answer (all but {@link #APPROX_DISTINCT}). */
    public boolean exact() {
        return this != APPROX_DISTINCT;
    }

    /** A partial over no events. */
    public Partial newPartial() {
        return switch (this) {
            case COUNT -> new CountPartial();
            case SUM -> new SumPartial();
            case MEAN -> new MeanPartial();
            case MIN, MAX -> new ExtremePartial(this);
            case LAST -> new LastPartial();
            case APPROX_DISTINCT -> new DistinctPartial();
        };
    }

    public static Optional<Op> bySpecName(String name) {
        return Arrays.stream(values()).filter(op -> op.specName.equals(name)).findFirst();
    }

    /** Decoding looks an op up per stored partial: a table, not a search. */
    private static final Op[] BY_CODE = new Op[128];

    static {
        for (Op op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    public static Optional<Op> byCode(byte code) {
        return code >= 0 && BY_CODE[code] != null ? Optional.of(BY_CODE[code]) : Optional.empty();
    }

    public static List<String> specNames() {
        return Arrays.stream(values()).map(Op::specName).toList();
    }
}
