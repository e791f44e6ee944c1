package io.tessera.featurestore.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The binary format, byte for byte: other engines and Cassandra rely on it. */
class PartialCodecTest {

    @Test
    void countIsVersionOpAndAVarint() {
        CountPartial count = new CountPartial(300);

        assertThat(hex(PartialCodec.encode(count))).isEqualTo("0101ac02");
    }

    @Test
    void lastIsTimeThenValueBigEndian() {
        LastPartial last = new LastPartial();
        last.add(2.5, 1_371_816_865_000L);

        assertThat(hex(PartialCodec.encode(last))).isEqualTo("0106" + "0000013f66a82ce8" + "4004000000000000");
    }

    @Test
    void emptyAndZeroSumsAreDistinct() {
        SumPartial empty = new SumPartial();
        SumPartial zero = new SumPartial();
        zero.add(1.5, 0);
        zero.add(-1.5, 0);

        assertThat(hex(PartialCodec.encode(empty))).isEqualTo("0102");
        assertThat(hex(PartialCodec.encode(zero))).isEqualTo("010200");
        assertThat(PartialCodec.decode(PartialCodec.encode(empty)).isEmpty()).isTrue();
        assertThat(PartialCodec.decode(PartialCodec.encode(zero)).isEmpty()).isFalse();
    }

    @Test
    void sumKeepsTheExactValueInCanonicalComponents() {
        SumPartial sum = new SumPartial();
        sum.add(1e16, 0);
        sum.add(1.0, 0);

        assertThat(hex(PartialCodec.encode(sum))).isEqualTo("0102" + "02" + "4341c37937e08000" + "3ff0000000000000");
    }

    @Test
    void rejectsAnotherVersion() {
        assertThatThrownBy(() -> PartialCodec.decode(new byte[] {2, 1, 0}))
                .isInstanceOf(PartialFormatException.class)
                .hasMessage("unsupported partial format version 2 (this build reads version 1)");
    }

    @Test
    void rejectsAnUnknownOp() {
        assertThatThrownBy(() -> PartialCodec.decode(new byte[] {1, 99}))
                .isInstanceOf(PartialFormatException.class)
                .hasMessage("unknown op code 99");
    }

    @Test
    void rejectsTruncatedAndTrailingBytes() {
        assertThatThrownBy(() -> PartialCodec.decode(new byte[] {1, 6, 0, 0, 1}))
                .isInstanceOf(PartialFormatException.class)
                .hasMessage("truncated partial (5 bytes)");
        assertThatThrownBy(() -> PartialCodec.decode(new byte[] {1, 1, 3, 7}))
                .isInstanceOf(PartialFormatException.class)
                .hasMessage("1 trailing bytes after a count partial");
    }

    @Test
    void rejectsAPartialOfAnotherOpWhereOneIsExpected() {
        byte[] count = PartialCodec.encode(new CountPartial(1));

        assertThatThrownBy(() -> PartialCodec.decode(count, Op.SUM))
                .isInstanceOf(PartialFormatException.class)
                .hasMessage("expected a sum partial, found count");
    }

    @Test
    void rejectsACorruptSketch() {
        assertThatThrownBy(() -> PartialCodec.decode(new byte[] {1, 7, 1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(PartialFormatException.class)
                .hasMessage("corrupt partial: not a CPC sketch image with lgK 11");
    }

    @Test
    void rejectsGarbageBehindAValidLookingSketchPreamble() {
        assertThatThrownBy(() -> PartialCodec.decode(new byte[] {1, 7, 4, 1, 16, 11, 0, 10, -52, -109, 9, 9, 9, 9}))
                .isInstanceOf(PartialFormatException.class)
                .hasMessageStartingWith("corrupt partial: ");
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
