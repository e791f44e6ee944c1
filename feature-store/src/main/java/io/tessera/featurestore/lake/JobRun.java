package io.tessera.featurestore.lake;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One record of a scheduled or manual job run, as {@code lake.platform.job_runs} holds it. The table is
 * append-only: a run is recorded when it starts, after each failed attempt and when it ends, and its
 * newest record (greatest {@code recordedAt}) is its state. A run whose newest record is
 * {@link State#RUNNING} and whose lease is gone was abandoned (its scheduler died).
 *
 * @param format {@link #FORMAT} when written; a reader refuses a record of a newer format
 * @param runId unique, e.g. {@code card_fraud-20260102T0200-3f9a1c}
 * @param trigger why it ran
 * @param triggerTime the cron tick it ran for, or the instant a manual run was asked for
 * @param attempts attempts made so far (0 for a skipped run)
 * @param job what it ran
 * @param cutoff the training cutoff a retrain ran with (the tick for a scheduled run); empty for the other jobs
 * @param error the last failure, or why it was skipped
 * @param scheduler who ran it ({@code host:pid})
 */
public record JobRun(int format, String runId, String pipeline, Job job, Trigger trigger, Instant triggerTime, State state,
        int attempts, Optional<Instant> startedAt, Optional<Instant> endedAt, OptionalLong modelVersion, OptionalLong viewVersion,
        Optional<Instant> cutoff, Optional<String> error, String scheduler, Instant recordedAt) {

    /** Changes when a column changes meaning or a required one is added; optional columns appended at the end do not. */
    public static final int FORMAT = 1;

    /** What a run ran; its label is the column {@code job}. */
    public enum Job {
        /** {@code schedule.retrain}, {@code platform retrain} */
        RETRAIN,
        /** the batch view refreshed between retrains: {@code schedule.publish}, {@code platform publish} */
        PUBLISH,
        /** {@code schedule.maintain}, {@code platform lake maintain} */
        MAINTAIN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Job of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    public enum Trigger {
        /** the cron tick, on time */
        SCHEDULED,
        /** the newest of the ticks missed while no scheduler ran, run once */
        CATCH_UP,
        /** {@code platform jobs run-now} */
        MANUAL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Trigger of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    public enum State {
        RUNNING, SUCCEEDED, FAILED,
        /** not run: another run of the same pipeline held the lease */
        SKIPPED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    static final List<LakeColumn> COLUMNS = List.of(
            LakeColumn.required("format", LakeColumn.Type.INT),
            LakeColumn.required("run_id", LakeColumn.Type.STRING),
            LakeColumn.required("pipeline", LakeColumn.Type.STRING),
            LakeColumn.required("job", LakeColumn.Type.STRING),
            LakeColumn.required("trigger", LakeColumn.Type.STRING),
            LakeColumn.required("trigger_time", LakeColumn.Type.TIMESTAMP),
            LakeColumn.required("state", LakeColumn.Type.STRING),
            LakeColumn.required("attempts", LakeColumn.Type.INT),
            LakeColumn.optional("started_at", LakeColumn.Type.TIMESTAMP),
            LakeColumn.optional("ended_at", LakeColumn.Type.TIMESTAMP),
            LakeColumn.optional("model_version", LakeColumn.Type.LONG),
            LakeColumn.optional("view_version", LakeColumn.Type.LONG),
            LakeColumn.optional("cutoff", LakeColumn.Type.TIMESTAMP),
            LakeColumn.optional("error", LakeColumn.Type.STRING),
            LakeColumn.required("scheduler", LakeColumn.Type.STRING),
            LakeColumn.required("recorded_at", LakeColumn.Type.TIMESTAMP));

    public JobRun {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(triggerTime, "triggerTime");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(viewVersion, "viewVersion");
        Objects.requireNonNull(cutoff, "cutoff");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (format < 1 || format > FORMAT) {
            throw new IllegalArgumentException("job run " + runId + " is of format " + format + ", this build reads up to " + FORMAT);
        }
    }

    /** A run of {@code job} about to start its first attempt. */
    public static JobRun started(String runId, String pipeline, Job job, Trigger trigger, Instant triggerTime, Optional<Instant> cutoff,
            String scheduler, Instant now) {
        return new JobRun(FORMAT, runId, pipeline, job, trigger, triggerTime, State.RUNNING, 0, Optional.of(now), Optional.empty(),
                OptionalLong.empty(), OptionalLong.empty(), cutoff, Optional.empty(), scheduler, now);
    }

    /** A trigger of {@code job} not run because {@code reason} (another run holds the lease). */
    public static JobRun skipped(String runId, String pipeline, Job job, Trigger trigger, Instant triggerTime, String reason,
            String scheduler, Instant now) {
        return new JobRun(FORMAT, runId, pipeline, job, trigger, triggerTime, State.SKIPPED, 0, Optional.empty(), Optional.of(now),
                OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.of(reason), scheduler, now);
    }

    /** This run after a failed attempt that will be tried again. */
    public JobRun attemptFailed(int attempt, String failure, Instant now) {
        return new JobRun(format, runId, pipeline, job, trigger, triggerTime, State.RUNNING, attempt, startedAt, endedAt, modelVersion,
                viewVersion, cutoff, Optional.of(failure), scheduler, now);
    }

    /** This run, over after {@code attempt} attempts. */
    public JobRun ended(State outcome, int attempt, OptionalLong model, OptionalLong view, Optional<String> failure, Instant now) {
        return new JobRun(format, runId, pipeline, job, trigger, triggerTime, outcome, attempt, startedAt, Optional.of(now), model, view,
                cutoff, failure, scheduler, now);
    }
}
