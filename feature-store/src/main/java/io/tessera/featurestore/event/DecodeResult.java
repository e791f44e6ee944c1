package io.tessera.featurestore.event;

/**
 * What decoding one raw record gave: an event, or a rejection whose reason goes to quarantine with it.
 * The reasons here, {@code RecordParser.MALFORMED} and {@code Admission.LATE}'s are the quarantine
 * reasons of every engine (README.md, "Quarantine reasons").
 */
public sealed interface DecodeResult permits DecodeResult.Accepted, DecodeResult.Rejected {

    /** A required field (one without a {@code default:}) is absent or empty. */
    String MISSING_FIELD = "missing_field";
    /** A field's text is not a value of its declared type (or a number is not finite). */
    String BAD_VALUE = "bad_value";
    /**
     * The timestamp field does not parse in the declared format, is before 1970-01-01, or is beyond
     * what a timestamp can hold (microseconds in an {@code epoch_seconds} field).
     */
    String BAD_TIMESTAMP = "bad_timestamp";
    /** The event time is more than {@code source.max_future_skew} after the time of ingest. */
    String FUTURE_TIMESTAMP = "future_timestamp";
    /**
     * A {@code where} of the spec cannot be evaluated on the event (division by zero, overflow): the
     * event enters no aggregation. Not a decoding outcome: {@code FeaturePlan} reports it by throwing
     * {@code ExpressionEvaluationException}, whose message is the detail.
     */
    String EXPRESSION_ERROR = "expression_error";

    /**
     * The raw record's bytes are not valid UTF-8 (a Kafka record's value, a line of a file): it is never
     * repaired silently. Not a decoding outcome either: the reader that holds the bytes decides it.
     */
    String ENCODING = "encoding";

    record Accepted(Event event) implements DecodeResult {
    }

    /**
     * @param reason one of the constants above, stable for dashboards and reconciliation
     * @param detail for people: which field and what was wrong
     */
    record Rejected(String reason, String detail) implements DecodeResult {
    }
}
