package io.tessera.featurestore.aggregate;

import java.io.ByteArrayOutputStream;

/**
 * The big-endian writer, with unsigned LEB128 varints, behind every binary format the layers exchange
 * (partials, a key's tiles, a key's batch view). Small on purpose: no stream wrappers on the per-event
 * path. Not thread-safe.
 */
public final class BinaryWriter {

    private final ByteArrayOutputStream bytes;

    public BinaryWriter(int initialCapacity) {
        this.bytes = new ByteArrayOutputStream(initialCapacity);
    }

    public void writeByte(int b) {
        bytes.write(b);
    }

    /** Unsigned LEB128; negative values take ten bytes. */
    public void writeVarLong(long value) {
        while ((value & ~0x7FL) != 0) {
            bytes.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        bytes.write((int) value);
    }

    public void writeInt(int value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes.write(value >>> shift);
        }
    }

    public void writeLong(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes.write((int) (value >>> shift));
        }
    }

    public void writeDouble(double value) {
        writeLong(Double.doubleToRawLongBits(value));
    }

    public void writeBytes(byte[] b) {
        bytes.write(b, 0, b.length);
    }

    /** Bytes written so far: the offset the next write lands at. */
    public int size() {
        return bytes.size();
    }

    public byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
