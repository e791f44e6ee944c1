package io.tessera.featurestore.event;

/**
 * What decoding one raw record gave: an event, or a rejection whose reason goes to quarantine with it.
 */
public sealed interface DecodeResult permits DecodeResult.Accepted, DecodeResult.Rejected {

    /** A declared field is absent or empty. */
    String MISSING_FIELD = "missing_field";
    /** A field's text is not a value of its declared type (or a number is not finite). */
    String BAD_VALUE = "bad_value";
    /** The timestamp field does not parse in the declared format. */
    String BAD_TIMESTAMP = "bad_timestamp";

    record Accepted(Event event) implements DecodeResult {
    }

    /**
     * @param reason one of the constants above, stable for dashboards and reconciliation
     * @param detail for people: which field and what was wrong
     */
    record Rejected(String reason, String detail) implements DecodeResult {
    }
}
