package io.tessera.batch.features;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.expr.Condition;
import io.tessera.featurestore.expr.InvalidExpressionException;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.Task;

/**
 * The label of an event, as the spec defines it: the field itself (0/1 or boolean for classification,
 * the number for regression), or 1/0 from the {@code positive} condition.
 */
public final class LabelRule {

    private final String field;
    private final Condition positive;

    public LabelRule(PipelineSpec spec) {
        this.field = spec.label().field();
        this.positive = spec.label().positive().map(source -> {
            try {
                return spec.source().expressions().condition(source);
            } catch (InvalidExpressionException e) {
                throw new IllegalArgumentException("label.positive: " + e.getMessage(), e);
            }
        }).orElse(null);
        if (positive != null && spec.model().task() != Task.BINARY_CLASSIFICATION) {
            throw new IllegalArgumentException("label.positive only makes sense for binary_classification");
        }
    }

    public double of(Event event) {
        if (positive != null) {
            return positive.test(event.fields()) ? 1.0 : 0.0;
        }
        return event.number(field);
    }
}
