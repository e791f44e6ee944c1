package io.tessera.featurestore.spec;

/**
 * Which past events a point-in-time read sees: what a training row's features are made of. Serving reads
 * now, and sees every event the views hold, whichever this is.
 */
public enum PointInTime {
    /** Every event before the read time, whenever it reached the lake: the world as it happened. */
    EVENT_TIME("event_time"),
    /**
     * Only the events before the read time that had also been ingested by the time the read event was: the
     * world as the platform saw it when it scored that event. An event that arrived late (a backfilled
     * file) is missing from the features of the events before its arrival, as it was from their scores.
     */
    INGESTION_TIME("ingestion_time");

    private final String specName;

    PointInTime(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }
}
