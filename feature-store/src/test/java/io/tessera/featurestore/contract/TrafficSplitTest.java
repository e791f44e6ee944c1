package io.tessera.featurestore.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {

    /**
     * The definition in TrafficSplit's Javadoc, written again the plain way (the JDK's UTF-8 encoder, a
     * ByteBuffer for the salt): the oracle shares no code with the allocation-free implementation.
     */
    private static long oracle(String key, long salt) {
        byte[] bytes = java.nio.ByteBuffer.allocate(8).putLong(salt).array();
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        for (byte b : utf8) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h >>> 32;
    }

    @Test
    void positionsFollowTheDocumentedDefinitionForAnyText() {
        Random random = new Random(42);
        int multiByte = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder key = new StringBuilder();
            int length = random.nextInt(24);
            for (int j = 0; j < length; j++) {
                int kind = random.nextInt(5);
                char c = switch (kind) {
                    case 0 -> (char) ('0' + random.nextInt(10));
                    case 1 -> (char) (0x80 + random.nextInt(0x780));        // 2 bytes
                    case 2 -> (char) (0x800 + random.nextInt(0xD000));       // 3 bytes, below the surrogates
                    case 3 -> (char) (0xD800 + random.nextInt(0x800));       // a surrogate, paired or lone as it falls
                    default -> (char) (0xE000 + random.nextInt(0x2000));
                };
                multiByte += c >= 0x80 ? 1 : 0;
                key.append(c);
            }
            long salt = random.nextLong();
            assertThat(TrafficSplit.position(key.toString(), salt)).as("%s", key).isEqualTo(oracle(key.toString(), salt));
        }
        String pair = new String(Character.toChars(0x1F600));
        assertThat(TrafficSplit.position("card-" + pair, 3)).isEqualTo(oracle("card-" + pair, 3));
        assertThat(multiByte).isGreaterThan(10_000);
    }

    @Test
    void positionsArePinned() {
        // a stored experiment's arms must not move with a refactoring: these values are the definition's
        assertThat(TrafficSplit.position("", 0)).isEqualTo(2077430863L);
        assertThat(TrafficSplit.position("4111111111111111", 4)).isEqualTo(1023081060L);
        assertThat(TrafficSplit.position("A", 1)).isEqualTo(1117267038L);
    }

    @Test
    void aShareTakesThatFractionOfKeysAndAWiderShareKeepsTheNarrowerOnesKeys() {
        int keys = 200_000;
        long tenth = TrafficSplit.threshold(0.1);
        long fifth = TrafficSplit.threshold(0.2);
        int inTenth = 0;
        int inFifth = 0;
        for (int i = 0; i < keys; i++) {
            String key = Long.toString(4_000_000_000_000_000L + i);   // similar keys, as card numbers are
            boolean a = TrafficSplit.inShare(key, 7, tenth);
            boolean b = TrafficSplit.inShare(key, 7, fifth);
            inTenth += a ? 1 : 0;
            inFifth += b ? 1 : 0;
            assertThat(!a || b).as("widening keeps %s", key).isTrue();
        }
        assertThat(inTenth / (double) keys).isBetween(0.097, 0.103);
        assertThat(inFifth / (double) keys).isBetween(0.197, 0.203);
        assertThat(TrafficSplit.threshold(1.0)).isEqualTo(1L << 32);
        assertThat(TrafficSplit.inShare("any", 7, TrafficSplit.threshold(1.0))).isTrue();
    }

    @Test
    void anotherChallengerDrawsAnotherSample() {
        long tenth = TrafficSplit.threshold(0.1);
        int both = 0;
        int keys = 100_000;
        for (int i = 0; i < keys; i++) {
            String key = "card-" + i;
            if (TrafficSplit.inShare(key, 7, tenth) && TrafficSplit.inShare(key, 8, tenth)) {
                both++;
            }
        }
        assertThat(both / (double) keys).isBetween(0.008, 0.012);   // independent: 0.1 * 0.1
    }
}
