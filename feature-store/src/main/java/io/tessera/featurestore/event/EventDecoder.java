package io.tessera.featurestore.event;

import io.tessera.featurestore.spec.FieldType;
import io.tessera.featurestore.spec.SourceSpec;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns raw records (CSV columns or JSON values) into typed {@link Event}s as the spec declares them, the
 * same way in every engine. Never throws on bad data: it returns a {@link DecodeResult.Rejected} with the
 * reason, for the quarantine table. Fields not declared are ignored. Thread-safe.
 */
public final class EventDecoder {

    private final SourceSpec source;
    private final String entityKey;

    /**
     * @param entityKey the field events are keyed by: an event without a value there belongs to no
     *     entity, so it is rejected even where an empty string would be a valid value of its type
     */
    public EventDecoder(SourceSpec source, String entityKey) {
        this.source = source;
        this.entityKey = entityKey;
    }

    public static EventDecoder of(io.tessera.featurestore.spec.PipelineSpec spec) {
        return new EventDecoder(spec.source(), spec.entity().key());
    }

    /**
     * @param raw field name to value: text (CSV), or String, Number and Boolean values (JSON)
     */
    public DecodeResult decode(Map<String, ?> raw) {
        String timestampField = source.timestamp().field();
        Object rawTime = raw.get(timestampField);
        if (rawTime == null || rawTime.toString().isBlank()) {
            return new DecodeResult.Rejected(DecodeResult.MISSING_FIELD, "timestamp field '" + timestampField + "' is missing");
        }
        long time;
        try {
            time = source.timestamp().format().toEpochMillis(text(rawTime));
        } catch (DateTimeException e) {
            return new DecodeResult.Rejected(DecodeResult.BAD_TIMESTAMP, "field '" + timestampField + "': " + e.getMessage());
        }
        Map<String, Object> fields = new HashMap<>();
        for (Map.Entry<String, FieldType> field : source.fields().entrySet()) {
            Object value = raw.get(field.getKey());
            boolean mustHaveText = field.getValue() != FieldType.STRING || field.getKey().equals(entityKey);
            if (value == null || (mustHaveText && value.toString().isBlank())) {
                return new DecodeResult.Rejected(DecodeResult.MISSING_FIELD, "field '" + field.getKey() + "' is missing");
            }
            Object typed = typed(text(value), field.getValue());
            if (typed == null) {
                return new DecodeResult.Rejected(DecodeResult.BAD_VALUE, "field '" + field.getKey() + "': '" + value
                        + "' is not a valid " + field.getValue().specName());
            }
            fields.put(field.getKey(), typed);
        }
        return new DecodeResult.Accepted(new Event(time, fields));
    }

    private static String text(Object value) {
        return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    }

    private static Object typed(String text, FieldType type) {
        String t = text.trim();
        try {
            return switch (type) {
                case STRING -> text;
                case INT -> Long.valueOf(Integer.parseInt(t));
                case LONG -> Long.valueOf(Long.parseLong(t));
                case DOUBLE -> {
                    double d = Double.parseDouble(t);
                    yield Double.isFinite(d) ? Double.valueOf(d) : null;
                }
                case BOOLEAN -> switch (t.toLowerCase()) {
                    case "true", "1" -> Boolean.TRUE;
                    case "false", "0" -> Boolean.FALSE;
                    default -> null;
                };
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
