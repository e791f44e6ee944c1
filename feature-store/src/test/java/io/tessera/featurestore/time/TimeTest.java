package io.tessera.featurestore.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeTest {

    private static final TileGrid HOURLY = TileGrid.of(Duration.ofHours(1));

    @Test
    void tilesAreAlignedToTheEpochAlsoBeforeIt() {
        assertThat(HOURLY.tileOf(0)).isZero();
        assertThat(HOURLY.tileOf(3_599_999)).isZero();
        assertThat(HOURLY.tileOf(3_600_000)).isEqualTo(1);
        assertThat(HOURLY.tileOf(-1)).isEqualTo(-1);
        assertThat(HOURLY.tile(-1)).isEqualTo(new TimeSpan(-3_600_000, 0));
        assertThat(HOURLY.floor(1_371_816_865_000L)).isEqualTo(1_371_816_000_000L);
    }

    @Test
    void aTileMadeAgainIsTheSameSpanAndInstantsAndBadBoundsAreNotShared() {
        TimeSpan tile = HOURLY.tile(381_060);
        assertThat(HOURLY.tileHolding(381_060 * 3_600_000L + 42)).isSameAs(tile);
        assertThat(TimeSpan.shared(tile.start(), tile.end())).isSameAs(tile);
        assertThat(TimeSpan.shared(tile.start(), tile.end() + 1)).isEqualTo(new TimeSpan(tile.start(), tile.end() + 1)).isNotSameAs(tile);
        assertThat(TimeSpan.shared(5, 6)).isNotSameAs(TimeSpan.shared(5, 6)).isEqualTo(TimeSpan.instant(5));
        assertThat(TimeSpan.shared(Long.MIN_VALUE, 0)).isSameAs(TimeSpan.shared(Long.MIN_VALUE, 0));
        assertThatThrownBy(() -> TimeSpan.shared(10, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sealedEventsGoToTheirWholeTileOthersToTheirMillisecond() {
        assertThat(HOURLY.sliceFor(3_600_000L + 5, 7_200_000L)).isEqualTo(new TimeSpan(3_600_000L, 7_200_000L));
        assertThat(HOURLY.sliceFor(7_200_000L, 7_200_000L)).isEqualTo(TimeSpan.instant(7_200_000L));
    }

    @Test
    void beforeTheFirstEventNothingIsLate() {
        LatenessPolicy policy = LatenessPolicy.of(Duration.ofHours(1), HOURLY);

        assertThat(policy.admit(0, Long.MIN_VALUE)).isEqualTo(Admission.ACCEPTED);
        assertThat(policy.sealBoundary(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aWindowReadAtTCoversFloorOfTMinusWUpToTExclusive() {
        Window day = new Window.Trailing(Duration.ofHours(24), "24h");
        long t = 1_371_816_865_000L; // 2013-06-21 12:14:25 UTC

        TimeSpan span = day.spanAt(t, HOURLY);

        assertThat(span).isEqualTo(new TimeSpan(1_371_729_600_000L, t)); // from 2013-06-20 12:00:00
        assertThat(span.contains(t - 1)).isTrue();
        assertThat(span.contains(t)).isFalse();
        assertThat(span.contains(1_371_729_600_000L)).isTrue();
        assertThat(span.contains(1_371_729_599_999L)).isFalse();
        assertThat(new Window.Lifetime().spanAt(t, HOURLY)).isEqualTo(new TimeSpan(Long.MIN_VALUE, t));
    }

    @Test
    void lateMeansOlderThanTheWatermarkMinusTheMaxLateness() {
        LatenessPolicy policy = LatenessPolicy.of(Duration.ofHours(1), HOURLY);
        long watermark = 10 * 3_600_000L + 1_800_000L; // 10:30

        assertThat(policy.admit(watermark - 3_600_000L, watermark)).isEqualTo(Admission.ACCEPTED);
        assertThat(policy.admit(watermark - 3_600_001L, watermark)).isEqualTo(Admission.LATE);
        assertThat(policy.admit(watermark + 5, watermark)).isEqualTo(Admission.ACCEPTED);
        // 09:30 is still open; tiles up to 09:00 can be sealed
        assertThat(policy.sealBoundary(watermark)).isEqualTo(9 * 3_600_000L);
    }

    @Test
    void timestampsParseInEveryDeclaredFormat() {
        assertThat(new TimestampFormat.EpochSeconds().toEpochMillis("1371816865")).isEqualTo(1_371_816_865_000L);
        assertThat(new TimestampFormat.EpochSeconds().toEpochMillis("1371816865.1239")).isEqualTo(1_371_816_865_123L);
        assertThat(new TimestampFormat.EpochSeconds().toEpochMillis("-0.0005")).isEqualTo(-1L);
        assertThat(new TimestampFormat.EpochMillis().toEpochMillis("1371816865000")).isEqualTo(1_371_816_865_000L);
        assertThat(new TimestampFormat.Iso8601().toEpochMillis("2013-06-21T12:14:25Z")).isEqualTo(1_371_816_865_000L);
        assertThat(new TimestampFormat.Iso8601().toEpochMillis("2013-06-21T14:14:25+02:00")).isEqualTo(1_371_816_865_000L);
        assertThat(new TimestampFormat.Iso8601().toEpochMillis("2013-06-21T12:14:25")).isEqualTo(1_371_816_865_000L);
        assertThat(TimestampFormat.Pattern.of("yyyy-MM-dd HH:mm:ss").toEpochMillis("2013-06-21 12:14:25"))
                .isEqualTo(1_371_816_865_000L);
    }

    @Test
    void badTimestampsAndPatternsAreNamed() {
        assertThatThrownBy(() -> new TimestampFormat.EpochSeconds().toEpochMillis("yesterday"))
                .isInstanceOf(DateTimeException.class).hasMessage("not epoch seconds: 'yesterday'");
        assertThatThrownBy(() -> TimestampFormat.Pattern.of("yyyy-MM-dd").toEpochMillis("x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("date-time pattern 'yyyy-MM-dd' does not determine an instant (it needs a date and a time)");
        assertThatThrownBy(() -> TimestampFormat.Pattern.of("yyyy-MM-dd HH:mm:ss").toEpochMillis("2013-06-21"))
                .isInstanceOf(DateTimeException.class)
                .hasMessage("'2013-06-21' does not match pattern 'yyyy-MM-dd HH:mm:ss'");
    }
}
