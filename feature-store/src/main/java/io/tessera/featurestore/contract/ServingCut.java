package io.tessera.featurestore.contract;

/**
 * Which realtime partials a batch view already holds: the cut between the batch and the speed layer
 * (docs/architecture.md, "Time, windows and the cut between the layers").
 *
 * <p>The speed layer tags every partial with its {@code generation} (a number stamped on every lake
 * snapshot its sink commits, new on every start without state) and its {@code epoch} (a lower bound of
 * the Flink checkpoint that will commit the event to the lake). A batch view read from lake snapshot S
 * carries the cut of S: the generation and checkpoint of the newest speed-layer commit S descends from.
 * A partial is covered by the view, and must not be added to it, when
 * <ul>
 *   <li>its generation is older than the cut's: S holds every event an older generation committed, and
 *       an older generation's uncommitted events were re-read by a newer one, which deleted those
 *       partials when it started (see {@link SnapshotLineage});</li>
 *   <li>its generation is the cut's and its epoch is at most the checkpoint, or the checkpoint is
 *       {@link #COMPLETE} (a bounded job's or a drained job's last commit: everything that generation
 *       wrote is in S).</li>
 * </ul>
 * Partials of newer generations are never covered. Comparing generation first is what keeps a
 * restart without state, whose checkpoint ids start at 1 again, from moving the cut backwards; and
 * {@code Long.MAX_VALUE} is only ever compared within its own generation.
 *
 * @param generation the newest speed-layer generation S descends from; {@link #NONE}'s 0 if none
 * @param checkpoint its newest checkpoint in S, or {@link #COMPLETE}
 */
public record ServingCut(long generation, long checkpoint) implements java.io.Serializable {

    /** The checkpoint id Iceberg's Flink committer writes for the end of a bounded or drained job. */
    public static final long COMPLETE = Long.MAX_VALUE;

    /** The cut of a snapshot no speed-layer commit precedes: no realtime partial is covered. */
    public static final ServingCut NONE = new ServingCut(0, 0);

    public ServingCut {
        if (generation < 0 || checkpoint < 0) {
            throw new IllegalArgumentException("a cut needs a generation and a checkpoint >= 0, got " + generation + "/" + checkpoint);
        }
        if (generation == 0 && checkpoint != 0) {
            throw new IllegalArgumentException("generation 0 means no speed-layer commit, so its checkpoint must be 0, got " + checkpoint);
        }
    }

    /** True if the batch view of this cut already holds the partials of {@code (generation, epoch)}. */
    public boolean covers(long partialGeneration, long epoch) {
        if (partialGeneration != generation) {
            return partialGeneration < generation;
        }
        return checkpoint == COMPLETE || epoch <= checkpoint;
    }

    /**
     * True if a batch view of this cut holds an event of the lake: a file ingest's event (no generation)
     * always, a speed-layer event when its partials are {@link #covers covered}. The view of a snapshot
     * leaves out the snapshot's events its cut does not cover (those above a cut rounded down to a
     * bucket's end, {@link EpochBuckets}): they are in the realtime rows.
     *
     * @param generation the lake row's speed-layer generation, null for a file ingest's row
     * @param epoch its speed-layer epoch, null for a file ingest's row
     */
    public boolean holds(Long generation, Long epoch) {
        return generation == null || covers(generation, epoch);
    }

    /** True if everything the cut's generation wrote is in the snapshot. */
    public boolean complete() {
        return checkpoint == COMPLETE;
    }

    @Override
    public String toString() {
        if (generation == 0) {
            return "no speed-layer commit";
        }
        return "generation " + generation + (complete() ? ", complete" : ", checkpoint " + checkpoint);
    }
}
