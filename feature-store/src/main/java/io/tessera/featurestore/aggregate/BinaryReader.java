package io.tessera.featurestore.aggregate;

import java.nio.ByteBuffer;

/** Reads what {@link BinaryWriter} writes; malformed input is a {@link PartialFormatException}, never a guess. */
public final class BinaryReader {

    private BinaryReader() {
    }

    /** An unsigned LEB128 varint. */
    public static long varLong(ByteBuffer in) {
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

    /** A varint that counts something held in the remaining bytes, each taking at least {@code minBytes}. */
    public static int count(ByteBuffer in, int minBytes, String what) {
        long n = varLong(in);
        if (n < 0 || n > in.remaining() / Math.max(1, minBytes)) {
            throw new PartialFormatException(what + " claims " + n + " entries in " + in.remaining() + " bytes");
        }
        return (int) n;
    }
}
