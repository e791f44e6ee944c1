package io.tessera.featurestore.spec;

import io.tessera.featurestore.expr.ExpressionEnvironment;
import io.tessera.featurestore.expr.VariableType;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where events come from and what they hold.
 *
 * @param fields the declared fields in spec order (the timestamp field need not be among them)
 * @param maxLateness how far behind the watermark an event may arrive and still update its tile
 */
public record SourceSpec(
        String topic,
        SourceFormat format,
        TimestampSpec timestamp,
        Map<String, FieldType> fields,
        Duration maxLateness) {

    public SourceSpec {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
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
