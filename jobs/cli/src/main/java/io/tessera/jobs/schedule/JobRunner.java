package io.tessera.jobs.schedule;

import java.time.Instant;

import io.tessera.featurestore.contract.RetrainSummary;

/**
 * Runs one attempt of a pipeline's retrain and waits for it. The platform's launches the batch layer's
 * retrain in a JVM of its own ({@code platform retrain}); it must be safe to run again with the same
 * cutoff (it is: a re-run finds its model and publication).
 */
@FunctionalInterface
public interface RetrainRunner {

    /**
     * @return what the retrain did
     * @throws RetrainFailedException when the attempt failed, with a one-line reason (the scheduler may try again)
     * @throws InterruptedException when the scheduler stops meanwhile (the attempt is abandoned)
     */
    RetrainSummary run(ScheduledPipeline pipeline, Instant cutoff, String runId, int attempt) throws RetrainFailedException, InterruptedException;
}
