package io.tessera.featurestore.contract;

/**
 * How many consecutive epochs of one speed-layer generation make a bucket: epochs {@code (k·n, (k+1)·n]}
 * are bucket k. A key's realtime rows of a bucket that is over are merged into one row tagged with the
 * bucket's last epoch, so a busy key holds about one row per bucket instead of one per checkpoint; and a
 * batch view's cut is rounded down to a bucket's end ({@link #cutAt}), so that no view ever covers part
 * of a merged row. The events of the snapshot above the rounded cut stay out of the view and in the
 * realtime rows, where they are already (docs/architecture.md, "Time, windows and the cut").
 *
 * <p>A generation keeps one size from its start to its end: rows merged under one size would straddle
 * the cuts of another. It is recorded in every snapshot the generation commits ({@link SnapshotLineage}).
 *
 * @param epochs epochs per bucket, at least 1 (1: every epoch its own bucket, no merging, the cut exact)
 */
public record EpochBuckets(long epochs) implements java.io.Serializable {

    /** Every epoch a bucket of its own: what a generation that recorded no size had. */
    public static final EpochBuckets SINGLE = new EpochBuckets(1);

    public EpochBuckets {
        if (epochs < 1) {
            throw new IllegalArgumentException("a bucket holds at least one epoch, got " + epochs);
        }
    }

    /** The last epoch of the bucket of {@code epoch} (epochs start at 1): the tag of the bucket's merged row. */
    public long end(long epoch) {
        return Math.floorDiv(epoch + epochs - 1, epochs) * epochs;
    }

    /**
     * The checkpoint a view cut at {@code checkpoint} covers through: the end of the newest bucket the
     * checkpoint completes. {@link ServingCut#COMPLETE} stays so: every bucket of the generation is in.
     */
    public long cutAt(long checkpoint) {
        return checkpoint == ServingCut.COMPLETE ? checkpoint : Math.floorDiv(checkpoint, epochs) * epochs;
    }
}
