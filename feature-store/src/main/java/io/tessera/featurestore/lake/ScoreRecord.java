package io.tessera.featurestore.lake;

import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.Score;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One score the speed layer computed for an event, as {@code lake.<pipeline>.scores} holds it: the value
 * and its whole provenance, so any score can be traced to its model, view, lake snapshot and event.
 *
 * @param entity the event's key
 * @param eventTime the scored event's time, UTC epoch milliseconds
 * @param processedAt when it was scored, UTC epoch milliseconds
 * @param generation the speed layer's generation that scored it
 * @param epoch the epoch its partials were tagged with (docs/architecture.md, "The cut")
 * @param served whether this score is the one the key was served (the champion's, or an A/B
 *     challenger's for the keys of its share) rather than one recorded beside it (the champion's beside an
 *     A/B challenger's, a shadow challenger's). Added to the layout after its first version, as the last
 *     column and optional: rows written before read null (they were all served champion scores).
 */
public record ScoreRecord(String entity, long eventTime, double score, String modelName, long modelVersion, String modelRole,
        long viewVersion, long snapshotId, long processedAt, long generation, long epoch, boolean served) implements Serializable {

    private static final long serialVersionUID = 1L;

    static final List<LakeColumn> COLUMNS = List.of(
            LakeColumn.required("entity", LakeColumn.Type.STRING),
            LakeColumn.required("event_time", LakeColumn.Type.TIMESTAMP),
            LakeColumn.required("score", LakeColumn.Type.DOUBLE),
            LakeColumn.required("model_name", LakeColumn.Type.STRING),
            LakeColumn.required("model_version", LakeColumn.Type.LONG),
            LakeColumn.required("model_role", LakeColumn.Type.STRING),
            LakeColumn.required("view_version", LakeColumn.Type.LONG),
            LakeColumn.required("snapshot_id", LakeColumn.Type.LONG),
            LakeColumn.required("processed_at", LakeColumn.Type.TIMESTAMP),
            LakeColumn.required("generation", LakeColumn.Type.LONG),
            LakeColumn.required("epoch", LakeColumn.Type.LONG),
            LakeColumn.optional("served", LakeColumn.Type.BOOLEAN));

    public ScoreRecord {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelRole, "modelRole");
    }

    /** The record of {@code score} for an event of {@code entity}; {@code served}: see the record's Javadoc. */
    public static ScoreRecord of(String entity, long eventTime, Score score, boolean served, long processedAt, long generation, long epoch) {
        Provenance provenance = score.provenance();
        Provenance.ModelRef model = provenance.model().orElseThrow();
        return new ScoreRecord(entity, eventTime, score.value(), model.name(), model.version(), model.role().label(),
                provenance.viewVersion(), provenance.snapshot().id(), processedAt, generation, epoch, served);
    }
}
