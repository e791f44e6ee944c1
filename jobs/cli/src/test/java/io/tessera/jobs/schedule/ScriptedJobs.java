package io.tessera.jobs.schedule;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.tessera.featurestore.lake.BatchJobSummary;
import io.tessera.featurestore.lake.JobRun;

/**
 * The tests' job runner (the one stand-in the scheduler's tests use; the lease and the history are
 * real): each attempt, of whichever job, does the next scripted step (succeed, fail, or hold
 * until released) and is noted with its time.
 */
final class ScriptedJobs implements JobRunner {

    enum Step { SUCCEED, FAIL, HOLD }

    /** @param cutoff a retrain's, null for the other jobs */
    record Attempt(JobRun.Job job, String runId, int attempt, Instant cutoff, long nanoTime) {
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    private final List<Attempt> attempts = new ArrayList<>();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Step otherwise;

    /** Does {@code script} in order, then {@code otherwise} for every further attempt. */
    ScriptedJobs(Step otherwise, Step... script) {
        this.otherwise = otherwise;
        steps.addAll(List.of(script));
    }

    @Override
    public BatchJobSummary retrain(ScheduledPipeline pipeline, Instant cutoff, String runId, int attempt) throws JobFailedException, InterruptedException {
        attempt(JobRun.Job.RETRAIN, runId, attempt, cutoff);
        return new BatchJobSummary(pipeline.name(), JobRun.Job.RETRAIN, OptionalLong.of(40 + attempt), 7, cutoff, 1234L, false);
    }

    /** Publishes view 8 + attempt, scored by model 7. */
    @Override
    public BatchJobSummary publish(ScheduledPipeline pipeline, String runId, int attempt) throws JobFailedException, InterruptedException {
        attempt(JobRun.Job.PUBLISH, runId, attempt, null);
        return new BatchJobSummary(pipeline.name(), JobRun.Job.PUBLISH, OptionalLong.of(7), 8 + attempt, Instant.EPOCH, 1234L, false);
    }

    @Override
    public void maintain(ScheduledPipeline pipeline, String runId, int attempt) throws JobFailedException, InterruptedException {
        attempt(JobRun.Job.MAINTAIN, runId, attempt, null);
    }

    private void attempt(JobRun.Job job, String runId, int attempt, Instant cutoff) throws JobFailedException, InterruptedException {
        Step step;
        synchronized (this) {
            attempts.add(new Attempt(job, runId, attempt, cutoff, System.nanoTime()));
            step = steps.isEmpty() ? otherwise : steps.poll();
        }
        switch (step) {
            case FAIL -> throw new JobFailedException("attempt " + attempt + " of " + runId + " failed on purpose");
            case HOLD -> {
                holding.countDown();
                release.await();
            }
            case SUCCEED -> {
            }
        }
    }

    /** Waits until an attempt holds (its run holds the lease meanwhile). */
    void awaitHolding() throws InterruptedException {
        if (!holding.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("no attempt started holding");
        }
    }

    void release() {
        release.countDown();
    }

    synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }
}
