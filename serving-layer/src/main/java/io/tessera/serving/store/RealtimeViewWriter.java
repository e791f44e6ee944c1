package io.tessera.serving.store;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.Score;
import io.tessera.featurestore.contract.ServingCut;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Writes a key's realtime view: its epoch rows and its latest score, in one statement per event (the row
 * and the partition's static score columns: about two rows' cost, docs/stack.md, "Cassandra
 * throughput"). Whole-row upserts only, never increments, so replays after a failure converge.
 */
public final class RealtimeViewWriter {

    private final ServingStore store;
    private final PreparedStatement upsert;
    private final PreparedStatement upsertRow;
    private final PreparedStatement dropCovered;

    RealtimeViewWriter(ServingStore store) {
        this.store = store;
        String table = store.keyspace() + ".realtime_view";
        this.upsert = store.session().prepare("INSERT INTO " + table + " (entity, generation, epoch, partials, written_at, score, score_model,"
                + " score_model_version, score_role, score_view_version, score_snapshot_id, score_snapshot_sequence,"
                + " score_snapshot_committed_at, score_event_time, score_processed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.upsertRow = store.session().prepare("INSERT INTO " + table + " (entity, generation, epoch, partials, written_at)"
                + " VALUES (?, ?, ?, ?, ?)");
        this.dropCovered = store.session().prepare("DELETE FROM " + table + " WHERE entity = ? AND (generation, epoch) <= (?, ?)");
    }

    /** The row, and the key's latest score with its provenance. */
    public void write(RealtimeRow row, Score latest, Instant processedAt) {
        Provenance provenance = latest.provenance();
        Provenance.ModelRef model = provenance.model().orElseThrow();
        store.session().execute(upsert.bind(row.entity(), row.generation(), row.epoch(), ByteBuffer.wrap(row.partials()), processedAt,
                latest.value(), model.name(), model.version(), model.role().name().toLowerCase(java.util.Locale.ROOT),
                provenance.viewVersion(), provenance.snapshot().id(), provenance.snapshot().sequenceNumber(),
                Instant.ofEpochMilli(provenance.snapshot().committedAt()), Instant.ofEpochMilli(provenance.eventTime()), processedAt)
                .setConsistencyLevel(store.target().writes()));
    }

    /** The row alone (an event scored by no model: no champion yet). */
    public void write(RealtimeRow row, Instant processedAt) {
        store.session().execute(upsertRow.bind(row.entity(), row.generation(), row.epoch(), ByteBuffer.wrap(row.partials()), processedAt)
                .setConsistencyLevel(store.target().writes()));
    }

    /**
     * Deletes a key's rows a published view covers: every row of an older generation and the cut's
     * generation's rows up to its checkpoint. Readers ignore them anyway; this keeps partitions small.
     */
    public void dropCovered(String entity, ServingCut cut) {
        if (cut.generation() == 0) {
            return;
        }
        store.session().execute(dropCovered.bind(entity, cut.generation(), cut.checkpoint()).setConsistencyLevel(store.target().writes()));
    }
}
