package io.tessera.featurestore.time;

/**
 * Whether an event may still change the tiles. Returned, never implied: a rejected event is the caller's
 * to route to quarantine with {@link #reason()}, nothing is dropped silently.
 */
public enum Admission {
    ACCEPTED(""),
    /** Older than the watermark minus {@code max_lateness}: its tile is sealed. */
    LATE("late");

    private final String reason;

    Admission(String reason) {
        this.reason = reason;
    }

    /** The quarantine reason, {@code "late"}; empty when accepted. */
    public String reason() {
        return reason;
    }

    public boolean accepted() {
        return this == ACCEPTED;
    }
}
