package io.tessera.jobs.schedule;

/** An attempt of a scheduled job failed; the message says why in one line (and where its log is). */
public final class JobFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    public JobFailedException(String message) {
        super(message);
    }
}
