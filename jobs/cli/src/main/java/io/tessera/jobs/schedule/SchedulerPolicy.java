package io.tessera.jobs.schedule;

import java.time.Duration;

/**
 * How the scheduler runs a retrain: the lease it holds (renewed every third of it, so a live holder keeps
 * it through two missed renewals and a dead one loses it within one duration), and how often a failed
 * run is tried, waiting {@code firstBackoff}, then twice that, and so on up to {@code maxBackoff}.
 */
public record SchedulerPolicy(Duration lease, int maxAttempts, Duration firstBackoff, Duration maxBackoff) {

    public SchedulerPolicy {
        if (lease.toSeconds() < 3) {
            throw new IllegalArgumentException("a lease lasts at least 3 s (it is renewed every third of it), got " + lease);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt, got " + maxAttempts);
        }
        if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("backoff from " + firstBackoff + " up to " + maxBackoff + " is not a range");
        }
    }

    /** The wait after failed attempt {@code attempt} (1-based): first, doubled per attempt, at most max. */
    public Duration backoff(int attempt) {
        Duration wait = firstBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    public Duration renewEvery() {
        return lease.dividedBy(3);
    }
}
