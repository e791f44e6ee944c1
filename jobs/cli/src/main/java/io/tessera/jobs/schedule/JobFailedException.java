package io.tessera.jobs.schedule;

/** An attempt of a retrain failed; the message says why in one line (and where its log is). */
public final class RetrainFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    public RetrainFailedException(String message) {
        super(message);
    }
}
