package io.tessera.featurestore.spec;

import io.tessera.featurestore.expr.Condition;
import java.time.Duration;
import java.util.Optional;

/**
 * What the model learns.
 *
 * @param positive for binary classification, a CEL condition that makes the label 1; without it the field
 *     itself is the label (0/1, or false/true)
 * @param knownAfter how long after an event its label becomes known (a chargeback takes weeks). Only with
 *     it may a feature read the label field, and then it sees an event's label from
 *     {@code event time + knownAfter} on, never earlier: past labels feed the features without leaking
 *     labels nobody had yet
 */
public record LabelSpec(String field, Optional<String> positive, Optional<Duration> knownAfter) {

    /**
     * Whether an aggregation reads the label, as its input or in its {@code where}: it sees labels only
     * {@link #knownAfter} after their events.
     *
     * @param of the aggregation's input field, if it has one
     * @param where its compiled {@code where}, if it has one
     */
    public boolean isReadBy(Optional<String> of, Optional<Condition> where) {
        return of.filter(field::equals).isPresent() || where.filter(w -> w.reads(field)).isPresent();
    }
}
