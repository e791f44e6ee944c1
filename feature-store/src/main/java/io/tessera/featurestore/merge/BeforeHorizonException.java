package io.tessera.featurestore.merge;

import java.time.Instant;

/**
 * A read earlier than a key's batch view can answer exactly: the view keeps whole tiles before its
 * horizon (its newest event minus {@code max_lateness}, floored to a tile), so a read inside them would
 * need events the tiles no longer tell apart. Such reads go to the lake, which holds every event.
 */
public class BeforeHorizonException extends IllegalArgumentException {

    private final long horizon;

    public BeforeHorizonException(long readTime, long horizon) {
        super("cannot read at " + Instant.ofEpochMilli(readTime) + ": the key's batch view answers exactly from "
                + Instant.ofEpochMilli(horizon) + " on (earlier reads are answered from the lake)");
        this.horizon = horizon;
    }

    /** The earliest read time the view answers. */
    public long horizon() {
        return horizon;
    }
}
