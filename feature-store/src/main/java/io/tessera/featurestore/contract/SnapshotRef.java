package io.tessera.featurestore.contract;

/**
 * A lake snapshot as provenance names it.
 *
 * @param id the Iceberg snapshot id
 * @param sequenceNumber the table's data sequence number of the snapshot: increases with every commit,
 *     so it orders snapshots where ids (random) and commit times (clocks) cannot
 * @param committedAt commit time, UTC epoch milliseconds
 */
public record SnapshotRef(long id, long sequenceNumber, long committedAt) {

    @Override
    public String toString() {
        return "snapshot " + id + " (#" + sequenceNumber + ", committed " + java.time.Instant.ofEpochMilli(committedAt) + ")";
    }
}
