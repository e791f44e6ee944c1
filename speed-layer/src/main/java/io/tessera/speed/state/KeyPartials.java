package io.tessera.speed.state;

import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.merge.RealtimePartials;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A key's state in the speed layer: the partials of its events that the batch view it last saw does not
 * hold, one {@link RealtimePartials} per (generation, epoch) exactly as its realtime rows in Cassandra,
 * and their merge, which the per-event read uses. When a newer view is seen, the rows its cut covers are
 * dropped and the merge is rebuilt from what is left, so state holds only what the batch has not seen
 * (docs/architecture.md, "The cut"). Mutable, owned by one task.
 *
 * <p>Each row keeps its latest encoding: the per-event path encodes the row it changed for the realtime
 * view anyway, and a row of an earlier epoch no longer changes, so a checkpoint writes bytes it already
 * has instead of encoding every key's sketches again (docs/stack.md, "Flink").
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

    /** A row's partials and their encoding, null while they changed since it was made. */
    private static final class Row {
        final RealtimePartials partials;
        byte[] encoded;

        Row(RealtimePartials partials, byte[] encoded) {
            this.partials = partials;
            this.encoded = encoded;
        }

        byte[] encoded(FeaturePlan plan) {
            if (encoded == null) {
                encoded = EntityTilesCodec.encode(plan, partials.tiles());
            }
            return encoded;
        }
    }

    KeyPartials(long viewVersion, ServingCut cut, List<StoredRow> stored, long newestScoredTime, Map<String, Long> recentIds,
            FeaturePlan plan) {
        this.viewVersion = viewVersion;
        this.cut = cut;
        this.rows = new ArrayList<>(stored.size());
        for (StoredRow row : stored) {
            rows.add(new Row(new RealtimePartials(row.generation(), row.epoch(), EntityTilesCodec.decode(plan, row.tiles())), row.tiles()));
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
     * decoded from that encoding, so the snapshot may still encode its own tiles without a race.
     */
    public KeyPartials handOver(FeaturePlan plan) {
        List<Row> handed = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (row.encoded != null) {
                handed.add(new Row(row.partials, row.encoded));
            } else {
                byte[] encoded = row.encoded(plan);
                handed.add(new Row(new RealtimePartials(row.partials.generation(), row.partials.epoch(),
                        EntityTilesCodec.decode(plan, encoded)), encoded));
            }
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
            rows.addAll(0, older.stream().map(row -> new Row(row, null)).toList());
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
        boolean dropped = rows.removeIf(row -> newCut.covers(row.partials.generation(), row.partials.epoch()));
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
            if (last.partials.generation() == generation && last.partials.epoch() == epoch) {
                last.encoded = null;
                return last.partials.tiles();
            }
        }
        Row row = new Row(new RealtimePartials(generation, epoch, plan.newEntity()), null);
        rows.add(row);
        return row.partials.tiles();
    }

    /** The encoding of the newest row (the one {@link #row} handed out last), kept for the checkpoints. */
    public byte[] encodeNewestRow(FeaturePlan plan) {
        return rows.get(rows.size() - 1).encoded(plan);
    }

    /** Every row as a checkpoint writes it; a row not encoded since it changed is encoded now. */
    public List<StoredRow> storedRows(FeaturePlan plan) {
        List<StoredRow> stored = new ArrayList<>(rows.size());
        for (Row row : rows) {
            stored.add(new StoredRow(row.partials.generation(), row.partials.epoch(), row.encoded(plan)));
        }
        return stored;
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

    public List<RealtimePartials> rows() {
        return rows.stream().map(row -> row.partials).toList();
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
            uncovered.mergeFrom(row.partials.tiles());
        }
    }
}
