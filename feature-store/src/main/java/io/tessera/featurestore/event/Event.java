package io.tessera.featurestore.event;

import java.util.Map;
import java.util.Objects;

/**
 * A decoded source event: its event time and its declared fields, typed. Values are String (string),
 * Long (int and long), Double (double) and Boolean (boolean), which is also what CEL expects.
 *
 * @param time event time, UTC epoch milliseconds
 */
public record Event(long time, Map<String, Object> fields) {

    public Event {
        fields = Map.copyOf(fields);
    }

    /**
     * @throws IllegalArgumentException if the event has no such field
     */
    public Object get(String field) {
        Object value = fields.get(field);
        if (value == null) {
            throw new IllegalArgumentException("event has no field '" + field + "'");
        }
        return value;
    }

    /** A numeric or boolean field as a double; boolean is 1.0 or 0.0. Longs beyond 2^53 round. */
    public double number(String field) {
        Object value = get(field);
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("field '" + field + "' is not a number: " + value);
    }

    public String text(String field) {
        return Objects.toString(get(field));
    }
}
