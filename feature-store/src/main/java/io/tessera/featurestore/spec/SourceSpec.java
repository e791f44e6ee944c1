package io.tessera.featurestore.spec;

import io.tessera.featurestore.expr.ExpressionEnvironment;
import io.tessera.featurestore.expr.VariableType;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where events come from and what they hold.
 *
 * @param fields the declared fields in spec order (the timestamp field need not be among them)
 * @param maxLateness how far behind the watermark an event may arrive and still update its tile
 * @param defaults each optional field's {@code default:}, typed as the field (String, Long, Double,
 *     Boolean): a record may lack such a field, and an event feature over it reads the default where the
 *     event has no value; aggregations and conditions never see defaults (an absent value is skipped)
 * @param maxFutureSkew how far after the time of ingest an event time may be; later ones are quarantined
 * @param id the field that identifies an event ({@code source.id}), if the producer sends one: a re-sent
 *     event is recognised by it
 *     with reason {@code future_timestamp}
 */
public record SourceSpec(
        String topic,
        SourceFormat format,
        TimestampSpec timestamp,
        Map<String, FieldType> fields,
        Duration maxLateness,
        Map<String, Object> defaults,
        Duration maxFutureSkew,
        Optional<String> id) {

    /** {@code source.max_future_skew} when the spec does not set it. */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofDays(1);

    public SourceSpec {
        java.util.Objects.requireNonNull(id, "id");
        if (id.isPresent() && !fields.containsKey(id.get())) {
            throw new IllegalArgumentException("the event id " + id.get() + " is not a declared field");
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        if (!fields.keySet().containsAll(defaults.keySet())) {
            throw new IllegalArgumentException("defaults of undeclared fields: " + defaults.keySet());
        }
    }

    /** A source whose fields are all required, with the default future skew. */
    public SourceSpec(String topic, SourceFormat format, TimestampSpec timestamp, Map<String, FieldType> fields,
                      Duration maxLateness) {
        this(topic, format, timestamp, fields, maxLateness, Map.of(), DEFAULT_MAX_FUTURE_SKEW);
    }

    /** A source without an event id. */
    public SourceSpec(String topic, SourceFormat format, TimestampSpec timestamp, Map<String, FieldType> fields,
                      Duration maxLateness, Map<String, Object> defaults, Duration maxFutureSkew) {
        this(topic, format, timestamp, fields, maxLateness, defaults, maxFutureSkew, Optional.empty());
    }

    /** The field's {@code default:}, if it declares one. */
    public Optional<Object> defaultOf(String field) {
        return Optional.ofNullable(defaults.get(field));
    }

    /**
     * The canonical rendering {@code PipelineSpec.fingerprint()} hashes: the optional parts only when
     * set, so a spec that sets neither keeps the fingerprint (and run keys) it had before they existed.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("SourceSpec[topic=").append(topic).append(", format=").append(format)
                .append(", timestamp=").append(timestamp).append(", fields=").append(fields)
                .append(", maxLateness=").append(maxLateness);
        if (!defaults.isEmpty()) {
            text.append(", defaults=").append(defaults);
        }
        if (!maxFutureSkew.equals(DEFAULT_MAX_FUTURE_SKEW)) {
            text.append(", maxFutureSkew=").append(maxFutureSkew);
        }
        id.ifPresent(field -> text.append(", id=").append(field));
        return text.append(']').toString();
    }

    /** The environment {@code where} and {@code positive} expressions are checked and run in: the fields. */
    public ExpressionEnvironment expressions() {
        return expressionsOver(fields);
    }

    static ExpressionEnvironment expressionsOver(Map<String, FieldType> fields) {
        Map<String, VariableType> variables = new LinkedHashMap<>();
        fields.forEach((name, type) -> variables.put(name, type.variableType()));
        return ExpressionEnvironment.of(variables);
    }
}
