package io.tessera.serving.store;

import java.util.Objects;

/**
 * A key's realtime rows of one bucket of epochs that is over, merged into one ({@code EpochBuckets}): the
 * row tagged with the bucket's last epoch, which replaces the key's rows of epochs {@code firstEpoch} to
 * that epoch. Written in one statement with the deletes of the rows it replaces, so a reader sees either
 * the rows or their merge, never both.
 */
public record MergedBucket(RealtimeRow row, long firstEpoch) {

    public MergedBucket {
        Objects.requireNonNull(row, "row");
        if (firstEpoch > row.epoch()) {
            throw new IllegalArgumentException("a merged bucket ends at its row's epoch " + row.epoch() + ", not before its first " + firstEpoch);
        }
    }
}
