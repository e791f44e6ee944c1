package io.tessera.featurestore.contract;

import java.util.Map;
import java.util.Optional;

/**
 * What a speed-layer commit records in the summary of the lake snapshot it makes, so that a batch run
 * reading that snapshot (or a descendant) knows which realtime partials it covers ({@link ServingCut}).
 *
 * <p>The contract with the speed layer's Iceberg sink:
 * <ul>
 *   <li>every snapshot it commits carries {@link #GENERATION} and {@link #BUCKET_EPOCHS} (set with the
 *       sink's snapshot properties) and {@link #CHECKPOINT} (written by Iceberg's Flink committer: snapshot
 *       c holds every record of checkpoints up to c; {@code Long.MAX_VALUE} at the end of a bounded or
 *       drained job);</li>
 *   <li>a start without state takes a new generation, one above the table property {@link #GENERATION}
 *       (absent: 0), sets that property and commits a marker snapshot with that generation and
 *       checkpoint 0, in one transaction; then it deletes the
 *       previous generation's realtime partials whose epoch is above that generation's last committed
 *       checkpoint (their events were never committed and will be read again from Kafka) before it
 *       processes an event;</li>
 *   <li>a restore from a checkpoint or savepoint keeps its generation (its checkpoint ids keep
 *       increasing).</li>
 * </ul>
 * Snapshots written by other writers (a file ingest, maintenance) carry neither key; the cut of such a
 * snapshot is that of its newest ancestor that carries one. A table without the {@link #GENERATION}
 * property never had a speed layer: its snapshots cover no realtime partial.
 */
public record SnapshotLineage(long generation, long checkpoint, EpochBuckets buckets) {

    /** Snapshot summary key: the speed-layer generation that committed the snapshot; as a table property, the newest generation. */
    public static final String GENERATION = "tessera.speed.generation";
    /** Snapshot summary key written by Iceberg's Flink committer (docs/stack.md, "The cut between batch and speed"). */
    public static final String CHECKPOINT = "flink.max-committed-checkpoint-id";
    /** Snapshot summary key: the generation's {@link EpochBuckets}; absent in a generation begun before buckets (one epoch each). */
    public static final String BUCKET_EPOCHS = "tessera.speed.bucket-epochs";

    public SnapshotLineage {
        if (generation < 1 || checkpoint < 0) {
            throw new IllegalArgumentException("a speed-layer commit has a generation >= 1 and a checkpoint >= 0, got "
                    + generation + "/" + checkpoint);
        }
        java.util.Objects.requireNonNull(buckets, "buckets");
    }

    /**
     * The lineage recorded in a snapshot's summary, or empty if no speed-layer commit made it.
     *
     * @throws IllegalArgumentException if the summary holds a checkpoint without a generation (a Flink job
     *     that is not our speed layer, or one from before generations), or values that are not numbers:
     *     such a snapshot's cut cannot be told, and guessing would drop or double-count partials
     */
    public static Optional<SnapshotLineage> fromSummary(long snapshotId, Map<String, String> summary) {
        String checkpoint = summary.get(CHECKPOINT);
        String generation = summary.get(GENERATION);
        if (checkpoint == null && generation == null) {
            return Optional.empty();
        }
        if (checkpoint == null || generation == null) {
            throw new IllegalArgumentException("lake snapshot " + snapshotId + " has " + (checkpoint == null ? GENERATION + " but no "
                    + CHECKPOINT : CHECKPOINT + " but no " + GENERATION) + ": it was committed by a Flink job that does not stamp"
                    + " the speed layer's generation, so the cut between batch and speed cannot be told from it");
        }
        String bucketEpochs = summary.get(BUCKET_EPOCHS);
        try {
            return Optional.of(new SnapshotLineage(Long.parseLong(generation), Long.parseLong(checkpoint),
                    bucketEpochs == null ? EpochBuckets.SINGLE : new EpochBuckets(Long.parseLong(bucketEpochs))));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lake snapshot " + snapshotId + " has an unreadable lineage "
                    + GENERATION + "=" + generation + ", " + CHECKPOINT + "=" + checkpoint + ", " + BUCKET_EPOCHS + "=" + bucketEpochs
                    + ": " + e.getMessage(), e);
        }
    }

    /** The properties a speed-layer sink sets on every snapshot it commits (the committer adds the checkpoint). */
    public static Map<String, String> sinkProperties(long generation, EpochBuckets buckets) {
        return Map.of(GENERATION, Long.toString(generation), BUCKET_EPOCHS, Long.toString(buckets.epochs()));
    }

    /** The summary of the marker snapshot a new generation commits before it processes anything. */
    public static Map<String, String> generationMarker(long generation, EpochBuckets buckets) {
        return Map.of(GENERATION, Long.toString(generation), CHECKPOINT, "0", BUCKET_EPOCHS, Long.toString(buckets.epochs()));
    }

    /** The cut of a view read from this snapshot: its checkpoint rounded down to the end of a bucket ({@link EpochBuckets#cutAt}). */
    public ServingCut cut() {
        return new ServingCut(generation, buckets.cutAt(checkpoint));
    }
}
