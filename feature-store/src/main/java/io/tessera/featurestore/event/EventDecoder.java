package io.tessera.featurestore.event;

import io.tessera.featurestore.spec.FieldType;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.SourceSpec;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns raw records (CSV columns or JSON values) into typed {@link Event}s as the spec declares them, the
 * same way in every engine. Never throws on bad data: it returns a {@link DecodeResult.Rejected} with the
 * reason, for the quarantine table. Fields not declared are ignored; an optional field (one with a
 * {@code default:}) that a record lacks is absent from the event. Thread-safe.
 *
 * <p>Event time must be plausible: not before 1970-01-01 ({@code bad_timestamp}: no source of this
 * platform predates it, and negative times are what a unit or sign error gives), and not more than
 * {@code source.max_future_skew} after the time of ingest ({@code future_timestamp}: milliseconds or
 * microseconds in an {@code epoch_seconds} field, a clock gone wrong). An event from the future would
 * otherwise hold its key's watermark there and make every real event after it late.
 */
public final class EventDecoder {

    private final SourceSpec source;
    private final String entityKey;
    private final Clock clock;
    private final long maxFutureSkewMillis;

    /**
     * @param entityKey the field events are keyed by: an event without a value there belongs to no
     *     entity, so it is rejected even where an empty string would be a valid value of its type
     * @param clock the time of ingest, which bounds event time from above
     */
    public EventDecoder(SourceSpec source, String entityKey, Clock clock) {
        this.source = source;
        this.entityKey = entityKey;
        this.clock = clock;
        this.maxFutureSkewMillis = source.maxFutureSkew().toMillis();
    }

    /** A decoder whose time of ingest is the system clock's. */
    public EventDecoder(SourceSpec source, String entityKey) {
        this(source, entityKey, Clock.systemUTC());
    }

    public static EventDecoder of(PipelineSpec spec) {
        return of(spec, Clock.systemUTC());
    }

    /** @param clock the time of ingest: an ingest of a file passes the instant it started */
    public static EventDecoder of(PipelineSpec spec, Clock clock) {
        return new EventDecoder(spec.source(), spec.entity().key(), clock);
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
        DecodeResult.Rejected implausible = implausible(time, timestampField, rawTime);
        if (implausible != null) {
            return implausible;
        }
        Map<String, Object> fields = new HashMap<>();
        for (Map.Entry<String, FieldType> field : source.fields().entrySet()) {
            Object value = raw.get(field.getKey());
            boolean mustHaveText = field.getValue() != FieldType.STRING || field.getKey().equals(entityKey);
            if (value == null || (mustHaveText && value.toString().isBlank())) {
                if (source.defaults().containsKey(field.getKey())) {
                    continue; // optional: absent from the event, the default is for event features only
                }
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

    private DecodeResult.Rejected implausible(long time, String field, Object rawTime) {
        if (time < 0) {
            return new DecodeResult.Rejected(DecodeResult.BAD_TIMESTAMP, "field '" + field + "': '" + rawTime
                    + "' is before 1970-01-01");
        }
        long now = clock.millis();
        long latest = now > Long.MAX_VALUE - maxFutureSkewMillis ? Long.MAX_VALUE : now + maxFutureSkewMillis;
        if (time > latest) {
            return new DecodeResult.Rejected(DecodeResult.FUTURE_TIMESTAMP, "field '" + field + "': '" + rawTime + "' is "
                    + Instant.ofEpochMilli(time) + ", more than " + source.maxFutureSkew() + " after the time of ingest "
                    + Instant.ofEpochMilli(now));
        }
        return null;
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
