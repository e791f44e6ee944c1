package io.tessera.featurestore.aggregate;

import java.util.Arrays;

/**
 * The big-endian writer, with unsigned LEB128 varints, behind every binary format the layers exchange
 * (partials, a key's tiles, a key's batch view). Small on purpose: no stream wrappers on the per-event
 * path (a plain growing array: {@code ByteArrayOutputStream} synchronizes every byte). Not thread-safe.
 */
public final class BinaryWriter {

    private byte[] bytes;
    private int size;

    public BinaryWriter(int initialCapacity) {
        this.bytes = new byte[Math.max(initialCapacity, 16)];
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    public void writeByte(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    /** Unsigned LEB128; negative values take ten bytes. */
    public void writeVarLong(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    public void writeInt(int value) {
        ensure(Integer.BYTES);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
    }

    public void writeLong(long value) {
        ensure(Long.BYTES);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
    }

    public void writeDouble(double value) {
        writeLong(Double.doubleToRawLongBits(value));
    }

    public void writeBytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
    }

    /** Bytes written so far: the offset the next write lands at. */
    public int size() {
        return size;
    }

    /** Appends what {@code other} holds, then empties it: a scratch writer reused for length-prefixed parts. */
    public void drain(BinaryWriter other) {
        writeAll(other);
        other.size = 0;
    }

    /** Appends what {@code other} holds, leaving it as it is. */
    public void writeAll(BinaryWriter other) {
        ensure(other.size);
        System.arraycopy(other.bytes, 0, bytes, size, other.size);
        size += other.size;
    }

    /** Forgets what was written, keeping the array: a scratch writer reused per record. */
    public void clear() {
        size = 0;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
