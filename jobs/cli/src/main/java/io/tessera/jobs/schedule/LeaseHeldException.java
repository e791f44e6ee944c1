package io.tessera.jobs.schedule;

/** A run of the pipeline's job was asked for while another holds its lease. */
public final class LeaseHeldException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param holder who holds the lease, as {@link Scheduler} describes it */
    public LeaseHeldException(String pipeline, String job, String holder) {
        super("a " + job + " of " + pipeline + " is running (" + holder + "); try again when it is over");
    }
}
