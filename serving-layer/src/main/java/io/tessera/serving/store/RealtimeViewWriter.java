package io.tessera.serving.store;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.Score;
import io.tessera.featurestore.contract.ServingCut;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Writes a key's realtime view: its epoch rows and its latest score, in one statement per event (the row
 * and the partition's static score columns: about two rows' cost, docs/stack.md, "Cassandra
 * throughput"), and now and then a bucket of its rows merged into one ({@link MergedBucket}). Whole-row
 * upserts and deletes only, never increments, so replays after a failure converge.
 */
public final class RealtimeViewWriter {

    /** Asynchronous deletes in flight at most, per writer (see {@link Waves}). */
    private static final int IN_FLIGHT = 256;

    private final ServingStore store;
    private final PreparedStatement upsert;
    private final PreparedStatement upsertRow;
    private final PreparedStatement dropCovered;
    private final PreparedStatement discardAbove;
    private final PreparedStatement discardMerged;
    private final PreparedStatement entities;

    RealtimeViewWriter(ServingStore store) {
        this.store = store;
        String table = store.keyspace() + ".realtime_view";
        this.upsert = store.session().prepare("INSERT INTO " + table + " (entity, generation, epoch, partials, written_at, score, score_model,"
                + " score_model_version, score_role, score_view_version, score_snapshot_id, score_snapshot_sequence,"
                + " score_snapshot_committed_at, score_event_time, score_processed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.upsertRow = store.session().prepare("INSERT INTO " + table + " (entity, generation, epoch, partials, written_at)"
                + " VALUES (?, ?, ?, ?, ?)");
        this.dropCovered = store.session().prepare("DELETE FROM " + table + " WHERE entity = ? AND (generation, epoch) <= (?, ?)");
        this.discardAbove = store.session().prepare("DELETE FROM " + table + " WHERE entity = ? AND generation = ? AND epoch > ?");
        this.discardMerged = store.session().prepare("DELETE FROM " + table + " WHERE entity = ? AND generation = ? AND epoch >= ? AND epoch < ?");
        // a scan, filtered where the rows are: only keys that hold such rows get a delete (and a tombstone)
        this.entities = store.session().prepare("SELECT entity FROM " + table + " WHERE generation = ? AND epoch > ? ALLOW FILTERING");
    }

    /**
     * {@link #write(RealtimeRow, Score, Instant)} or, without a score, {@link #write(RealtimeRow, Instant)},
     * asynchronously: the speed layer keeps many in flight and waits for all of them at each checkpoint.
     *
     * @param latest the key's newest score, or {@code null} to leave the key's score as it is
     */
    public CompletionStage<Void> writeAsync(RealtimeRow row, Score latest, Instant processedAt) {
        return store.session().executeAsync(bind(row, latest, processedAt)).thenApply(result -> null);
    }

    /**
     * {@link #writeAsync(RealtimeRow, Score, Instant)} and, in the same statement, each merged bucket: its
     * row written and the rows it replaces deleted. One batch of one partition is applied as one mutation
     * (atomic and isolated), so a reader sees a bucket's rows or their merge, never both nor neither.
     */
    public CompletionStage<Void> writeAsync(RealtimeRow row, Score latest, Instant processedAt, List<MergedBucket> merged) {
        if (merged.isEmpty()) {
            return writeAsync(row, latest, processedAt);
        }
        BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED).addStatement(bind(row, latest, processedAt));
        for (MergedBucket bucket : merged) {
            RealtimeRow replacing = bucket.row();
            if (!replacing.entity().equals(row.entity())) {
                throw new IllegalArgumentException("a merged bucket of " + replacing.entity() + " written with a row of " + row.entity()
                        + ": one statement holds one partition");
            }
            batch.addStatement(bind(replacing, null, processedAt))
                    .addStatement(discardMerged.bind(replacing.entity(), replacing.generation(), bucket.firstEpoch(), replacing.epoch()));
        }
        return store.session().executeAsync(batch.setConsistencyLevel(store.target().writes()).build()).thenApply(result -> null);
    }

    /** The row, and the key's latest score with its provenance. */
    public void write(RealtimeRow row, Score latest, Instant processedAt) {
        store.session().execute(bind(row, latest, processedAt));
    }

    /** The row alone (an event scored by no model: no champion yet). */
    public void write(RealtimeRow row, Instant processedAt) {
        store.session().execute(bind(row, null, processedAt));
    }

    /** Typed setters by position: binding by value would look each value's codec up by its class, per event. */
    private BoundStatement bind(RealtimeRow row, Score latest, Instant processedAt) {
        BoundStatementBuilder statement = (latest == null ? upsertRow : upsert).boundStatementBuilder()
                .setString(0, row.entity())
                .setLong(1, row.generation())
                .setLong(2, row.epoch())
                .setByteBuffer(3, ByteBuffer.wrap(row.partials()))
                .setInstant(4, processedAt);
        if (latest != null) {
            Provenance provenance = latest.provenance();
            Provenance.ModelRef model = provenance.model().orElseThrow();
            statement.setDouble(5, latest.value())
                    .setString(6, model.name())
                    .setLong(7, model.version())
                    .setString(8, model.role().label())
                    .setLong(9, provenance.viewVersion())
                    .setLong(10, provenance.snapshot().id())
                    .setLong(11, provenance.snapshot().sequenceNumber())
                    .setInstant(12, Instant.ofEpochMilli(provenance.snapshot().committedAt()))
                    .setInstant(13, Instant.ofEpochMilli(provenance.eventTime()))
                    .setInstant(14, processedAt);
        }
        return statement.setConsistencyLevel(store.target().writes()).build();
    }

    /**
     * Deletes the keys' rows a published view covers: every row of an older generation and the cut's
     * generation's rows up to its checkpoint. Readers ignore them anyway; this keeps partitions small.
     * A publication touches every key a task holds: the deletes go out {@value #IN_FLIGHT} at a time.
     */
    public void dropCovered(Collection<String> entities, ServingCut cut) {
        if (cut.generation() == 0) {
            return;
        }
        Waves waves = new Waves();
        for (String entity : entities) {
            waves.add(store.session().executeAsync(dropCovered.bind(entity, cut.generation(), cut.checkpoint())
                    .setConsistencyLevel(store.target().writes())));
        }
        waves.awaitAll();
    }

    /**
     * Deletes the rows of {@code generation} above {@code epoch} of every key {@code owns} accepts: rows of
     * events that no lake commit holds and that the speed layer reads again from Kafka, so they would be
     * counted twice. Called before any event is processed: by a new generation for the previous one's
     * uncommitted rows, and by each task restored from checkpoint {@code epoch} for its own keys. It scans
     * the table (a cost paid at start, not per event) and deletes only where such rows are, so restarts
     * do not pile up tombstones in every key's partition.
     *
     * @return the number of keys whose rows were deleted
     */
    public long discardAbove(long generation, long epoch, Predicate<String> owns) {
        long keys = 0;
        Waves deletes = new Waves();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Row row : store.session().execute(entities.bind(generation, epoch).setConsistencyLevel(store.target().reads()))) {
            String entity = row.getString("entity");
            if (seen.add(entity) && owns.test(entity)) {
                keys++;
                deletes.add(store.session().executeAsync(discardAbove.bind(entity, generation, epoch)
                        .setConsistencyLevel(store.target().writes())));
            }
        }
        deletes.awaitAll();
        return keys;
    }

    /**
     * Asynchronous statements at most {@value #IN_FLIGHT} at a time: a driver connection takes about a
     * thousand requests at once and fails the rest ({@code NodeUnavailableException}), and a publication or
     * a restore sends one per key.
     */
    private static final class Waves {
        private final List<CompletionStage<?>> pending = new ArrayList<>();

        void add(CompletionStage<?> statement) {
            pending.add(statement);
            if (pending.size() >= IN_FLIGHT) {
                awaitAll();
            }
        }

        void awaitAll() {
            pending.forEach(statement -> statement.toCompletableFuture().join());
            pending.clear();
        }
    }
}
