package io.tessera.featurestore.spec;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * When a pipeline's jobs run: 5-field cron expressions in UTC, already checked to parse.
 *
 * @param retrain the retrain's; empty: retrained only when asked
 * @param maintain the lake maintenance's ({@code platform lake maintain}); the spec reader gives
 *     {@link #DEFAULT_MAINTAIN} when the spec says nothing, since a lake the speed layer commits to every
 *     few seconds must be maintained (docs/lake-maintenance.md); empty only for a schedule built in code
 * @param publish the batch view's refresh between retrains ({@code platform publish}); empty: the view
 *     changes with retrains only
 */
public record ScheduleSpec(Optional<String> retrain, Optional<String> maintain, Optional<String> publish) {

    /** Hourly, at half past: away from the top of the hour, where retrains are usually scheduled. */
    public static final String DEFAULT_MAINTAIN = "30 * * * *";

    public ScheduleSpec {
        Objects.requireNonNull(retrain, "retrain");
        Objects.requireNonNull(maintain, "maintain");
        Objects.requireNonNull(publish, "publish");
    }

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

    /** The newest {@code maintain} tick at or before {@code now}, empty without one. */
    public Optional<Instant> lastMaintainTick(Instant now) {
        return maintain.map(cron -> CronSchedule.lastTickAtOrBefore(cron, now));
    }

    /** The newest {@code publish} tick at or before {@code now}, empty without one. */
    public Optional<Instant> lastPublishTick(Instant now) {
        return publish.map(cron -> CronSchedule.lastTickAtOrBefore(cron, now));
    }
}
