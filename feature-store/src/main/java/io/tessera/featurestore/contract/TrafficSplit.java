package io.tessera.featurestore.contract;

/**
 * Which keys fall in an A/B challenger's share: a stable 32-bit position of each key, compared with the
 * share. Every layer that scores (the speed layer's tasks, the query API) computes it for itself and must
 * put a key in the same arm, in any JVM and any language, so the hash is fixed by this definition and
 * never by {@code String.hashCode} or a library's default seed:
 *
 * <ol>
 *   <li>{@code h} = FNV-1a 64 (offset basis {@code 0xcbf29ce484222325}, prime {@code 0x100000001b3}) over
 *       the 8 bytes of {@code salt}, big-endian, then the key's UTF-8 bytes (a lone surrogate counts as
 *       {@code '?'}, as Java's encoder writes it);</li>
 *   <li>then murmur3's 64-bit finalizer: {@code h ^= h >>> 33; h *= 0xff51afd7ed558ccd; h ^= h >>> 33;
 *       h *= 0xc4ceb9fe1a85ec53; h ^= h >>> 33} (FNV alone spreads similar keys, such as card numbers,
 *       poorly over its high bits);</li>
 *   <li>the position is {@code h >>> 32}, in {@code [0, 2^32)}; a key is in a share {@code s} when its
 *       position is below {@code floor(s * 2^32)}.</li>
 * </ol>
 *
 * The salt is the challenger's model version: a new challenger draws another sample of keys, while
 * widening the share of the same one keeps every key already in it. Allocation-free: it runs per event.
 */
public final class TrafficSplit {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final double POSITIONS = 4294967296.0;   // 2^32

    private TrafficSplit() {
    }

    /** The key's position for {@code salt}, in {@code [0, 2^32)}. */
    public static long position(String key, long salt) {
        long h = FNV_OFFSET;
        for (int shift = 56; shift >= 0; shift -= 8) {
            h = (h ^ ((salt >>> shift) & 0xff)) * FNV_PRIME;
        }
        int length = key.length();
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                h = (h ^ c) * FNV_PRIME;
            } else if (c < 0x800) {
                h = (h ^ (0xc0 | (c >>> 6))) * FNV_PRIME;
                h = (h ^ (0x80 | (c & 0x3f))) * FNV_PRIME;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(key.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, key.charAt(++i));
                h = (h ^ (0xf0 | (cp >>> 18))) * FNV_PRIME;
                h = (h ^ (0x80 | ((cp >>> 12) & 0x3f))) * FNV_PRIME;
                h = (h ^ (0x80 | ((cp >>> 6) & 0x3f))) * FNV_PRIME;
                h = (h ^ (0x80 | (cp & 0x3f))) * FNV_PRIME;
            } else if (Character.isSurrogate(c)) {
                h = (h ^ '?') * FNV_PRIME;
            } else {
                h = (h ^ (0xe0 | (c >>> 12))) * FNV_PRIME;
                h = (h ^ (0x80 | ((c >>> 6) & 0x3f))) * FNV_PRIME;
                h = (h ^ (0x80 | (c & 0x3f))) * FNV_PRIME;
            }
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h >>> 32;
    }

    /** The positions below which a key is in {@code share}: {@code floor(share * 2^32)}; 2^32 for a share of 1. */
    public static long threshold(double share) {
        return (long) Math.floor(share * POSITIONS);
    }

    /** Whether {@code key} is in the share whose {@link #threshold} is given. */
    public static boolean inShare(String key, long salt, long threshold) {
        return position(key, salt) < threshold;
    }
}
