package io.tessera.featurestore.aggregate;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.apache.datasketches.common.Family;
import org.apache.datasketches.common.SketchesArgumentException;
import org.apache.datasketches.cpc.CpcSketch;

/**
 * The binary encoding of partials that the batch layer, the speed layer and Cassandra exchange.
 *
 * <p>Identical bytes whichever engine wrote it: the encoding is a function of the partial's value only
 * (sums in canonical form, sketches in canonical form), big-endian, with no engine or JVM serialization
 * in it. Layout, version {@value #VERSION}:
 *
 * <pre>
 * byte    version            = 1
 * byte    op code            ({@link Op#code()})
 * payload, by op:
 *   count            unsigned LEB128 varint count
 *   sum              varint n, then n doubles: the canonical exact-sum components, largest first
 *   mean             varint count, then the sum payload
 *   min, max         nothing when empty, else the double
 *   last             nothing when empty, else the event time (int64) and the value (double)
 *   approx_distinct  nothing when empty, else the DataSketches CPC image (lgK 11) of the canonical sketch
 * </pre>
 *
 * An empty sum (no payload) and a sum of events that cancel out ({@code n = 0}) stay distinct; a mean
 * is empty when its count is zero.
 *
 * <p>Decoding checks the version, the op and the lengths and throws {@link PartialFormatException}
 * rather than guess; a new layout, op parameter (such as the sketch's {@code lgK}) or op payload is a new
 * version, and readers then accept the old and the new.
 */
public final class PartialCodec {

    public static final byte VERSION = 1;

    private PartialCodec() {
    }

    public static byte[] encode(Partial partial) {
        BinaryWriter out = new BinaryWriter(32);
        encodeInto(partial, out);
        return out.toByteArray();
    }

    /** Appends the encoding of {@code partial} to {@code out}: the same bytes {@link #encode} returns. */
    public static void encodeInto(Partial partial, BinaryWriter out) {
        out.writeByte(VERSION);
        out.writeByte(partial.op().code());
        switch (partial.op()) {
            case COUNT -> out.writeVarLong(((CountPartial) partial).count());
            case SUM -> {
                SumPartial sum = (SumPartial) partial;
                if (!sum.isEmpty()) {
                    writeComponents(out, sum.sum.canonical());
                }
            }
            case MEAN -> {
                MeanPartial mean = (MeanPartial) partial;
                out.writeVarLong(mean.count);
                writeComponents(out, mean.sum.canonical());
            }
            case MIN, MAX -> {
                if (!partial.isEmpty()) {
                    out.writeDouble(partial.finish());
                }
            }
            case LAST -> {
                LastPartial last = (LastPartial) partial;
                if (!last.isEmpty()) {
                    out.writeLong(last.time());
                    out.writeDouble(last.finish());
                }
            }
            case APPROX_DISTINCT -> {
                DistinctPartial distinct = (DistinctPartial) partial;
                if (!distinct.isEmpty()) {
                    out.writeBytes(distinct.canonicalImage());
                }
            }
        }
    }

    private static void writeComponents(BinaryWriter out, double[] components) {
        out.writeVarLong(components.length);
        for (double c : components) {
            out.writeDouble(c);
        }
    }

    /**
     * @throws PartialFormatException if the bytes are not a partial of this version
     */
    public static Partial decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes the partial held in {@code bytes[offset, offset + length)}: one entry of a larger record
     * (a key's batch view or realtime row) without copying it out first.
     *
     * @throws PartialFormatException if those bytes are not a partial of this version
     */
    public static Partial decode(byte[] bytes, int offset, int length) {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new PartialFormatException("unsupported partial format version " + version
                        + " (this build reads version " + VERSION + ")");
            }
            byte code = in.get();
            Op op = Op.byCode(code).orElseThrow(() -> new PartialFormatException("unknown op code " + code));
            Partial partial = switch (op) {
                case COUNT -> new CountPartial(BinaryReader.varLong(in));
                case SUM -> in.hasRemaining()
                        ? new SumPartial(ExactSum.ofCanonical(readComponents(in)), false)
                        : new SumPartial();
                case MEAN -> {
                    long count = BinaryReader.varLong(in);
                    yield new MeanPartial(ExactSum.ofCanonical(readComponents(in)), count);
                }
                case MIN, MAX -> in.hasRemaining() ? new ExtremePartial(op, in.getDouble()) : new ExtremePartial(op);
                case LAST -> in.hasRemaining() ? new LastPartial(in.getLong(), in.getDouble()) : new LastPartial();
                case APPROX_DISTINCT -> {
                    if (!in.hasRemaining()) {
                        yield new DistinctPartial();
                    }
                    byte[] image = new byte[in.remaining()];
                    in.get(image);
                    yield new DistinctPartial(cpcSketch(image));
                }
            };
            if (in.hasRemaining()) {
                throw new PartialFormatException(in.remaining() + " trailing bytes after a " + op.specName() + " partial");
            }
            return partial;
        } catch (BufferUnderflowException e) {
            throw new PartialFormatException("truncated partial (" + length + " bytes)");
        } catch (SketchesArgumentException | IllegalArgumentException e) {
            if (e instanceof PartialFormatException p) {
                throw p;
            }
            throw new PartialFormatException("corrupt partial: " + e.getMessage());
        }
    }

    /**
     * Decodes a partial that must be of the given op.
     *
     * @throws PartialFormatException if the bytes hold another op or are corrupt
     */
    public static Partial decode(byte[] bytes, Op expected) {
        Partial partial = decode(bytes);
        if (partial.op() != expected) {
            throw new PartialFormatException("expected a " + expected.specName() + " partial, found "
                    + partial.op().specName());
        }
        return partial;
    }

    /**
     * Checks the DataSketches preamble before handing the bytes over: the library validates its input with
     * Java {@code assert}s, which are off in production, so corrupt bytes must be caught here.
     */
    private static CpcSketch cpcSketch(byte[] image) {
        if (image.length < 8 || image[2] != (byte) Family.CPC.getID() || image[3] != DistinctPartial.LG_K) {
            throw new PartialFormatException("corrupt partial: not a CPC sketch image with lgK " + DistinctPartial.LG_K);
        }
        try {
            return CpcSketch.heapify(image);
        } catch (RuntimeException | AssertionError e) {
            throw new PartialFormatException("corrupt partial: " + e.getMessage());
        }
    }

    private static double[] readComponents(ByteBuffer in) {
        long n = BinaryReader.varLong(in);
        if (n < 0 || n > in.remaining() / Double.BYTES) {
            throw new PartialFormatException("sum claims " + n + " components in " + in.remaining() + " bytes");
        }
        double[] components = new double[(int) n];
        for (int i = 0; i < components.length; i++) {
            components[i] = in.getDouble();
            if (!Double.isFinite(components[i])) {
                throw new PartialFormatException("sum component is not finite: " + components[i]);
            }
        }
        return components;
    }
}
