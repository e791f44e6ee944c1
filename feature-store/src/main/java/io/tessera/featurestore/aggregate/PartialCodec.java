package io.tessera.featurestore.aggregate;

import java.io.ByteArrayOutputStream;
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
        Writer out = new Writer();
        out.writeByte(VERSION);
        out.writeByte(partial.op().code());
        switch (partial.op()) {
            case COUNT -> out.writeVarLong(((CountPartial) partial).count());
            case SUM -> {
                SumPartial sum = (SumPartial) partial;
                if (!sum.isEmpty()) {
                    out.writeComponents(sum.sum.canonical());
                }
            }
            case MEAN -> {
                MeanPartial mean = (MeanPartial) partial;
                out.writeVarLong(mean.count);
                out.writeComponents(mean.sum.canonical());
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
                    out.writeBytes(distinct.canonicalSketch().toByteArray());
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * @throws PartialFormatException if the bytes are not a partial of this version
     */
    public static Partial decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new PartialFormatException("unsupported partial format version " + version
                        + " (this build reads version " + VERSION + ")");
            }
            byte code = in.get();
            Op op = Op.byCode(code).orElseThrow(() -> new PartialFormatException("unknown op code " + code));
            Partial partial = switch (op) {
                case COUNT -> new CountPartial(readVarLong(in));
                case SUM -> in.hasRemaining()
                        ? new SumPartial(ExactSum.ofCanonical(readComponents(in)), false)
                        : new SumPartial();
                case MEAN -> {
                    long count = readVarLong(in);
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
            throw new PartialFormatException("truncated partial (" + bytes.length + " bytes)");
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

    private static long readVarLong(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new PartialFormatException("varint longer than 10 bytes");
    }

    private static double[] readComponents(ByteBuffer in) {
        long n = readVarLong(in);
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

    /** Big-endian writer with varints; small, so no stream wrappers on the per-tile path. */
    private static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);

        void writeByte(int b) {
            bytes.write(b);
        }

        void writeVarLong(long value) {
            while ((value & ~0x7FL) != 0) {
                bytes.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            bytes.write((int) value);
        }

        void writeLong(long value) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes.write((int) (value >>> shift));
            }
        }

        void writeDouble(double value) {
            writeLong(Double.doubleToRawLongBits(value));
        }

        void writeComponents(double[] components) {
            writeVarLong(components.length);
            for (double c : components) {
                writeDouble(c);
            }
        }

        void writeBytes(byte[] b) {
            bytes.write(b, 0, b.length);
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
