package io.tessera.featurestore.event;

import java.util.Map;
import java.util.Objects;

/**
 * A decoded source event: its event time and its declared fields, typed. Values are String (string),
 * Long (int and long), Double (double) and Boolean (boolean), which is also what CEL expects.
 *
 * <p>A declared field may be <em>absent</em>: a field added to the spec after older events were written
 * (their rows read null), or an optional field (one with a {@code default:}) that a record lacks. Absent
 * is not a value: aggregations skip it, a {@code where} that reads it is false, an event feature takes
 * the field's default (docs/pipeline-spec.md, "Absent values"). Every engine applies the same rules, in
 * {@code FeaturePlan} and {@code FeatureLayout}.
 *
 * @param time event time, UTC epoch milliseconds
 * @param fields the values present; an absent field has no entry (never a null value)
 */
public record Event(long time, Map<String, Object> fields) {

    public Event {
        fields = Map.copyOf(fields);
    }

    /** The field's value, or {@code null} if the event has none (absent, see above). */
    public Object get(String field) {
        return fields.get(field);
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    /**
     * A numeric or boolean field as a double; boolean is 1.0 or 0.0. Longs beyond 2^53 round.
     *
     * @throws IllegalArgumentException if the field is absent or not a number: callers check {@link #has}
     *     where absence is allowed
     */
    public double number(String field) {
        Object value = present(field);
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("field '" + field + "' is not a number: " + value);
    }

    /** @throws IllegalArgumentException if the field is absent */
    public String text(String field) {
        return Objects.toString(present(field));
    }

    private Object present(String field) {
        Object value = fields.get(field);
        if (value == null) {
            throw new IllegalArgumentException("event has no value for field '" + field + "'");
        }
        return value;
    }
}
