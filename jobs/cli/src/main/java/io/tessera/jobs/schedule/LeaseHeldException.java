package io.tessera.jobs.schedule;

import io.tessera.featurestore.lake.JobRun;

/** A run of the pipeline's job was asked for while another holds its lease. */
public final class LeaseHeldException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param holder who holds the lease, as {@link Scheduler} describes it */
    public LeaseHeldException(String pipeline, JobRun.Job job, String holder) {
        super("a " + job.label() + " of " + pipeline + " is running (" + holder + "); try again when it is over");
    }
}
