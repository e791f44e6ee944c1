package io.tessera.featurestore.time;

import java.time.Duration;

/**
 * Which events may still change the tiles, and which tiles can therefore be sealed.
 *
 * <p>The watermark is the highest event time seen so far (per key or per source, the engine's choice;
 * per key is the more conservative). An event is late when {@code time < watermark - maxLateness}.
 *
 * <p>Every read happens at the time of an accepted event (scoring) or later (serving), so no read falls
 * before {@code watermark - maxLateness} either. Hence the {@linkplain #sealBoundary seal boundary}
 * {@code floor_s(watermark - maxLateness)}: tiles ending at or before it receive no more events and are
 * never read inside, so their per-timestamp slices may be collapsed into one whole-tile partial.
 */
public record LatenessPolicy(long maxLatenessMillis, TileGrid grid) {

    public LatenessPolicy {
        if (maxLatenessMillis < 0) {
            throw new IllegalArgumentException("max lateness must not be negative: " + maxLatenessMillis);
        }
    }

    public static LatenessPolicy of(Duration maxLateness, TileGrid grid) {
        return new LatenessPolicy(maxLateness.toMillis(), grid);
    }

    /**
     * @param watermark {@code Long.MIN_VALUE} before the first event: then nothing is late
     */
    public Admission admit(long eventTime, long watermark) {
        return eventTime < oldestAccepted(watermark) ? Admission.LATE : Admission.ACCEPTED;
    }

    /**
     * Tiles ending at or before this time may be sealed; see the class comment. {@code Long.MIN_VALUE}
     * (seal nothing) before the first event.
     */
    public long sealBoundary(long watermark) {
        long oldest = oldestAccepted(watermark);
        return oldest == Long.MIN_VALUE ? Long.MIN_VALUE : grid.floor(oldest);
    }

    private long oldestAccepted(long watermark) {
        return watermark < Long.MIN_VALUE + maxLatenessMillis + grid.tileMillis()
                ? Long.MIN_VALUE : watermark - maxLatenessMillis;
    }
}
