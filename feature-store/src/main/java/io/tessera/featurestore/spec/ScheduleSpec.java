package io.tessera.featurestore.spec;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** When jobs run. {@code retrain} is a 5-field cron expression in UTC, already checked to parse. */
public record ScheduleSpec(Optional<String> retrain) {

    /**
     * The cutoff of a retrain started at {@code now} without one: the schedule's newest {@code retrain}
     * tick at or before {@code now}, or the start of {@code now}'s day in UTC when the spec has no schedule.
     * The cutoff is part of a run's key, so it must not be the wall clock: a re-run after a crash (the
     * same day, before the next tick) is then the same run, resumed, rather than a new model and a second
     * publication.
     */
    public Instant defaultCutoff(Instant now) {
        return lastRetrainTick(now)
                .orElseGet(() -> now.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant());
    }

    /**
     * The newest {@code retrain} tick at or before {@code now}, empty without a schedule: what the scheduler
     * triggers, with the same ticks as {@link #defaultCutoff}.
     */
    public Optional<Instant> lastRetrainTick(Instant now) {
        return retrain.map(cron -> CronSchedule.lastTickAtOrBefore(cron, now));
    }
}
