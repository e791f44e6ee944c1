package io.tessera.speed.state;

import io.tessera.featurestore.contract.EpochBuckets;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.merge.RealtimePartials;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.serving.store.MergedBucket;
import io.tessera.serving.store.RealtimeRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A key's state in the speed layer: the partials of its events that the batch view it last saw does not
 * hold, one {@link RealtimePartials} per (generation, epoch) exactly as its realtime rows in Cassandra
 * (the rows of a bucket of epochs that is over merged into one: {@link #mergeClosedBuckets}), and their
 * merge, which the per-event read uses. When a newer view is seen, the rows its cut covers are
 * dropped and the merge is rebuilt from what is left, so state holds only what the batch has not seen
 * (docs/architecture.md, "The cut"). Mutable, owned by one task.
 *
 * <p>Each row keeps its latest encoding: the per-event path encodes the row it changed for the realtime
 * view anyway, and a row of an earlier epoch no longer changes, so a checkpoint writes bytes it already
 * has instead of encoding every key's sketches again (docs/stack.md, "Flink"). Such a row keeps only its
 * encoding: its tiles were hundreds of small objects per row, traced by every garbage collection for as
 * long as no view covered them, and only a new view or a restore reads them again. So does a newest row
 * of one event, until a second one: most keys see fewer than one event per epoch, and the tiles made for
 * each such event would otherwise live until the key's next event, long enough to be promoted and leave
 * the old generation to a full collection (docs/stack.md, "Flink"). A row given a second event keeps its
 * tiles while it is the newest: a busy key's events add to them without decoding its row each time.
 */
public final class KeyPartials {

    private long viewVersion;
    private ServingCut cut = ServingCut.NONE;
    private final List<Row> rows;
    private EntityTiles uncovered;
    private long newestScoredTime = Long.MIN_VALUE;
    /** Ids of the key's events within max_lateness of its newest (older ones are late anyway), with their times. */
    private final Map<String, Long> recentIds;

    /** A row as checkpointed: its generation, epoch and encoded tiles ({@link EntityTilesCodec}). */
    public record StoredRow(long generation, long epoch, byte[] tiles) {
    }

    /**
     * A row: its tiles while it is the newest and busy (null otherwise) and their encoding (null while they
     * changed since the last one).
     */
    private static final class Row {
        final long generation;
        final long epoch;
        EntityTiles tiles;
        byte[] encoded;
        /** Given more than one event: its tiles are kept while it is the newest. */
        boolean busy;

        Row(long generation, long epoch, EntityTiles tiles, byte[] encoded) {
            this.generation = generation;
            this.epoch = epoch;
            this.tiles = tiles;
            this.encoded = encoded;
        }

        byte[] encoded(FeaturePlan plan) {
            if (encoded == null) {
                encoded = EntityTilesCodec.encode(plan, tiles);
            }
            return encoded;
        }

        /** Its tiles: the row's own while it has them, else decoded anew from its encoding. */
        EntityTiles tiles(FeaturePlan plan) {
            return tiles != null ? tiles : EntityTilesCodec.decode(plan, encoded);
        }

        /** Keeps only the encoding: the row no longer changes. */
        void freeze(FeaturePlan plan) {
            encoded(plan);
            tiles = null;
        }
    }

    KeyPartials(long viewVersion, ServingCut cut, List<StoredRow> stored, long newestScoredTime, Map<String, Long> recentIds,
            FeaturePlan plan) {
        this.viewVersion = viewVersion;
        this.cut = cut;
        this.rows = new ArrayList<>(stored.size());
        for (StoredRow row : stored) {
            rows.add(new Row(row.generation(), row.epoch(), null, row.tiles()));
        }
        this.newestScoredTime = newestScoredTime;
        this.recentIds = new HashMap<>(recentIds);
        rebuild(plan);
    }

    private KeyPartials(KeyPartials from, List<Row> rows) {
        this.viewVersion = from.viewVersion;
        this.cut = from.cut;
        this.rows = rows;
        this.uncovered = from.uncovered;
        this.newestScoredTime = from.newestScoredTime;
        this.recentIds = new HashMap<>(from.recentIds);
    }

    /**
     * The state the key's task goes on with while a checkpoint still has this one to write. Flink's heap
     * backend copies a key's state when the task touches it during an asynchronous snapshot and keeps
     * this object for the snapshot, which reads nothing of it but {@link #storedRows}, the scalars and
     * the ids; the task never sees it again. So each row's encoding is made here (on the task's thread)
     * if it lacks one, and the copy takes over the rows' tiles and their merge instead of decoding every
     * sketch of the key from its encoding again (which it did, per event, for most keys while a
     * checkpoint was being written: docs/stack.md, "Flink"). A row it had to encode is handed over
     * decoded from that encoding, so the snapshot may still encode its own tiles without a race; a frozen
     * row is its encoding alone, shared.
     */
    public KeyPartials handOver(FeaturePlan plan) {
        List<Row> handed = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Row copy;
            if (row.encoded != null) {
                copy = new Row(row.generation, row.epoch, row.tiles, row.encoded);
            } else {
                byte[] encoded = row.encoded(plan);
                copy = new Row(row.generation, row.epoch, EntityTilesCodec.decode(plan, encoded), encoded);
            }
            copy.busy = row.busy;
            handed.add(copy);
        }
        return new KeyPartials(this, handed);
    }

    public static KeyPartials empty(FeaturePlan plan) {
        return new KeyPartials(0, ServingCut.NONE, List.of(), Long.MIN_VALUE, Map.of(), plan);
    }

    /**
     * Remembers an event's id, unless it was seen already: a re-sent event. Ids of events older than
     * {@code horizon} are forgotten first: such an event is late, whether sent once or twice.
     *
     * @return false if the id was seen
     */
    public boolean firstSighting(String id, long eventTime, long horizon) {
        recentIds.values().removeIf(time -> time < horizon);
        return recentIds.putIfAbsent(id, eventTime) == null;
    }

    Map<String, Long> recentIds() {
        return recentIds;
    }

    /** A key first seen by this generation takes over the rows earlier generations wrote for it and no view covers. */
    public void adopt(List<RealtimePartials> older, FeaturePlan plan) {
        if (!older.isEmpty()) {
            List<Row> adopted = new ArrayList<>(older.size());
            for (RealtimePartials row : older) {
                Row kept = new Row(row.generation(), row.epoch(), row.tiles(), null);
                kept.freeze(plan);   // an earlier generation's row never changes
                adopted.add(kept);
            }
            rows.addAll(0, adopted);
            rebuild(plan);
        }
    }

    /**
     * Moves to a newer view: drops the rows its cut covers. A view not newer than the one seen changes nothing.
     *
     * @return true if rows were dropped
     */
    public boolean moveTo(long version, ServingCut newCut, FeaturePlan plan) {
        if (version <= viewVersion) {
            return false;
        }
        viewVersion = version;
        cut = newCut;
        boolean dropped = rows.removeIf(row -> newCut.covers(row.generation, row.epoch));
        if (dropped) {
            rebuild(plan);
        }
        return dropped;
    }

    /**
     * The tiles of the row of {@code (generation, epoch)}, made empty if the key has none yet, for the
     * caller to add to: its encoding is made again by the next {@link #encodeNewestRow} or checkpoint.
     */
    public EntityTiles row(long generation, long epoch, FeaturePlan plan) {
        if (!rows.isEmpty()) {
            Row last = rows.get(rows.size() - 1);
            if (last.generation == generation && last.epoch == epoch) {
                last.tiles = last.tiles(plan);   // a row kept as its encoding is decoded once, when it changes again
                last.encoded = null;
                last.busy = true;
                return last.tiles;
            }
            last.freeze(plan);   // only the newest row changes: rows are made in epoch order
        }
        Row row = new Row(generation, epoch, plan.newEntity(), null);
        rows.add(row);
        return row.tiles;
    }

    /**
     * The encoding of the newest row (the one {@link #row} handed out last), kept for the checkpoints; a row
     * of one event keeps nothing else (see above).
     */
    public byte[] encodeNewestRow(FeaturePlan plan) {
        Row newest = rows.get(rows.size() - 1);
        byte[] encoded = newest.encoded(plan);
        if (!newest.busy) {
            newest.tiles = null;
        }
        return encoded;
    }

    /**
     * Merges the key's rows of each bucket of {@code generation} that is over into one row, tagged with the
     * bucket's last epoch ({@link EpochBuckets}), so a busy key holds about one row per bucket instead of
     * one per epoch. A bucket is over when it ends at or before {@code completed}, a checkpoint known
     * complete: no event of this generation is tagged with its epochs any more, and no restore goes back
     * before it (a restore takes the newest checkpoint), so the merge is never undone by a restore that
     * then deletes the rows above its checkpoint. A state restored from before a merge merges the same
     * rows into the same row again. Rows of earlier generations are left as they are: few, adopted once.
     * Only a key holding more rows than a bucket has epochs merges: a merge decodes its rows and costs
     * Cassandra a range tombstone, and most keys see too few events between publications to need one
     * (bench/README.md, "Speed layer throughput"); so a key holds at most that many rows plus one per
     * merged bucket.
     *
     * @return the merged rows, for the realtime view to write in place of the rows they replace (empty
     *     unless the key holds more rows than a bucket's epochs and a bucket of more than one row is over)
     */
    public List<MergedBucket> mergeClosedBuckets(String entity, long generation, EpochBuckets buckets, long completed, FeaturePlan plan) {
        if (rows.size() <= buckets.epochs()) {
            return List.of();
        }
        List<MergedBucket> merged = List.of();
        int i = 0;
        while (i < rows.size()) {
            Row first = rows.get(i);
            long end = buckets.end(first.epoch);
            int j = i + 1;
            if (first.generation == generation && end <= completed) {
                while (j < rows.size() && rows.get(j).generation == generation && rows.get(j).epoch <= end) {
                    j++;
                }
            }
            if (j - i < 2) {
                i = j;
                continue;
            }
            EntityTiles tiles = plan.newEntity();
            for (Row row : rows.subList(i, j)) {
                tiles.mergeFrom(row.tiles(plan));
            }
            Row bucket = new Row(generation, end, null, EntityTilesCodec.encode(plan, tiles));
            rows.subList(i, j).clear();
            rows.add(i, bucket);
            if (merged.isEmpty()) {
                merged = new ArrayList<>(1);
            }
            merged.add(new MergedBucket(new RealtimeRow(entity, generation, end, bucket.encoded), end - buckets.epochs() + 1));
            i++;
        }
        return merged;
    }

    /** Every row as a checkpoint writes it; a row not encoded since it changed is encoded now. */
    public List<StoredRow> storedRows(FeaturePlan plan) {
        List<StoredRow> stored = new ArrayList<>(rows.size());
        for (Row row : rows) {
            stored.add(new StoredRow(row.generation, row.epoch, row.encoded(plan)));
        }
        return stored;
    }

    /** How many rows the key holds: one per (generation, epoch) or merged bucket with events that no view it saw covers. */
    public int rowCount() {
        return rows.size();
    }

    /** The merge of every row: what the key adds to its batch view at a read. */
    public EntityTiles uncovered() {
        return uncovered;
    }

    public long viewVersion() {
        return viewVersion;
    }

    public ServingCut cut() {
        return cut;
    }

    /** The rows' partials; a frozen row's are decoded anew (for tests and tools, not the per-event path). */
    public List<RealtimePartials> rows(FeaturePlan plan) {
        return rows.stream().map(row -> new RealtimePartials(row.generation, row.epoch, row.tiles(plan))).toList();
    }

    /** The event time of the newest score written as the key's latest; an older event's score does not replace it. */
    public long newestScoredTime() {
        return newestScoredTime;
    }

    public void scored(long eventTime) {
        newestScoredTime = Math.max(newestScoredTime, eventTime);
    }

    private void rebuild(FeaturePlan plan) {
        uncovered = plan.newEntity();
        for (Row row : rows) {
            uncovered.mergeFrom(row.tiles(plan));
        }
    }
}
