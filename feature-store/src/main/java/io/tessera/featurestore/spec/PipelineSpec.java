package io.tessera.featurestore.spec;

import io.tessera.featurestore.expr.Condition;
import io.tessera.featurestore.expr.InvalidExpressionException;
import io.tessera.featurestore.time.LatenessPolicy;
import io.tessera.featurestore.time.TileGrid;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
     * The {@code where} of {@code aggregation} compiled against the source's fields, if it has one.
     *
     * @throws IllegalArgumentException if it does not compile ({@link PipelineSpecs} refuses such a spec;
     *     one built by hand may not have been checked)
     */
    public Optional<Condition> where(AggregationSpec aggregation) {
        return aggregation.where().map(where -> {
            try {
                return source.expressions().condition(where);
            } catch (InvalidExpressionException e) {
                throw new IllegalArgumentException("aggregation " + aggregation.name() + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * How long after its event {@code aggregation} sees an event's label: the label's {@code known_after} if
     * the aggregation reads the label (as its input or in its {@code where}), else zero.
     *
     * @throws IllegalArgumentException if it reads the label and the label has no {@code known_after}
     *     ({@link PipelineSpecs} refuses such a spec; one built by hand may not have been checked)
     */
    public Duration labelDelay(AggregationSpec aggregation) {
        if (!label.isReadBy(aggregation.of(), where(aggregation))) {
            return Duration.ZERO;
        }
        return label.knownAfter().orElseThrow(() -> new IllegalArgumentException(
                "aggregation " + aggregation.name() + " reads the label " + label.field() + ", which has no known_after"));
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
