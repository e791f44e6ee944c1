package io.tessera.jobs.schedule;

import java.time.Instant;

import io.tessera.featurestore.lake.BatchJobSummary;

/**
 * Runs one attempt of a pipeline's job and waits for it. The platform's launches the batch layer in a JVM
 * of its own ({@code platform retrain}, {@code platform publish}, {@code platform lake maintain}); each job
 * must be safe to run again: a retrain with the same cutoff finds its model and publication, a refresh of
 * the same snapshot its publication, a maintenance does what is left.
 *
 * @see JobFailedException an attempt that failed, with a one-line reason (the scheduler may try again)
 */
public interface JobRunner {

    /**
     * @return what the retrain did
     * @throws InterruptedException when the scheduler stops meanwhile (the attempt is abandoned)
     */
    BatchJobSummary retrain(ScheduledPipeline pipeline, Instant cutoff, String runId, int attempt) throws JobFailedException, InterruptedException;

    /**
     * Refreshes the pipeline's batch view from the lake's current snapshot, as the view serving was computed.
     *
     * @return the view it published, or the one serving if that holds every event of the current snapshot already
     */
    BatchJobSummary publish(ScheduledPipeline pipeline, String runId, int attempt) throws JobFailedException, InterruptedException;

    /** Maintains the pipeline's lake with the retention of each table (docs/lake-maintenance.md). */
    void maintain(ScheduledPipeline pipeline, String runId, int attempt) throws JobFailedException, InterruptedException;
}
