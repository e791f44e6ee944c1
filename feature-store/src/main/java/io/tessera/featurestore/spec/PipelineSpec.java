package io.tessera.featurestore.spec;

import io.tessera.featurestore.time.LatenessPolicy;
import io.tessera.featurestore.time.TileGrid;
import java.util.Objects;

/**
 * A validated pipeline spec: what events arrive, what they are keyed by, which features to compute, which
 * label to learn and which model to train. Immutable; obtained from {@link PipelineSpecs}, which only
 * returns specs that passed every check.
 */
public record PipelineSpec(
        String name,
        EntitySpec entity,
        SourceSpec source,
        FeaturesSpec features,
        LabelSpec label,
        ModelSpec model,
        ScheduleSpec schedule,
        ServingSpec serving) {

    public PipelineSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(serving, "serving");
    }

    public TileGrid tileGrid() {
        return TileGrid.of(features.tile());
    }

    public LatenessPolicy latenessPolicy() {
        return LatenessPolicy.of(source.maxLateness(), tileGrid());
    }
}
