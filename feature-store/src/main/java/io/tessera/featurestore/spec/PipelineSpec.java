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

    /**
     * What the spec means, not how it is written: comments, layout and quoting do not change it. Every
     * component is a record, enum, string, number or insertion-ordered collection, so {@code toString()}
     * is a canonical rendering. Run keys and publication lookups use it.
     */
    public Fingerprint fingerprint() {
        return Fingerprint.of(toString());
    }
}
