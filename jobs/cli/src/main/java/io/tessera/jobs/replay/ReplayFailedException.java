package io.tessera.jobs.replay;

/** Kafka refused or lost a record: the replay stopped; the message says how far it got. */
public final class ReplayFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final long acknowledged;

    ReplayFailedException(String message, long acknowledged, Throwable cause) {
        super(message, cause);
        this.acknowledged = acknowledged;
    }

    /** Records Kafka acknowledged before the replay stopped: those are on the topic. */
    public long acknowledged() {
        return acknowledged;
    }
}
