package io.tessera.jobs.speed;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What {@code speed status} (and {@code stack status}) says of one pipeline's speed layer: one line.
 *
 * @param runsIn where it runs when it does: {@code pid N} (its own JVM) or {@code job ID} (on a session cluster)
 */
public record SpeedStatus(String pipeline, Optional<String> runsIn, String jobState, Duration uptime, Optional<FlinkRest.Checkpoints> checkpoints,
        Optional<FlinkRest.RealtimeRows> realtimeRows, String webUi, String detail) {

    static SpeedStatus down(String pipeline, String detail) {
        return new SpeedStatus(pipeline, Optional.empty(), "-", Duration.ZERO, Optional.empty(), Optional.empty(), "", detail);
    }

    /** It runs (its JVM, or its record of a job on a session cluster) and Flink runs its job; anything else does not score. */
    public boolean isUp() {
        return runsIn.isPresent() && jobState.equals("RUNNING");
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(String.format("%-24s %-8s %-10s", "speed-" + pipeline, runsIn.isPresent() ? "running" : "down",
                runsIn.orElse("-")));
        if (runsIn.isPresent()) {
            line.append(" job ").append(jobState).append(", up ").append(uptime.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase());
            checkpoints.ifPresent(c -> line.append(", checkpoints ").append(c.completed()).append(failures(c))
                    .append(c.latest().map(last -> ", last #" + last.id() + " at " + last.at().truncatedTo(ChronoUnit.SECONDS)).orElse("")));
            realtimeRows.ifPresent(rows -> line.append(String.format(", realtime rows per key p99 %.0f, max %.0f", rows.p99(), rows.max())));
            if (!webUi.isEmpty()) {
                line.append(", ").append(webUi);
            }
        }
        if (!detail.isEmpty()) {
            line.append("  (").append(detail).append(')');
        }
        return line.toString();
    }

    /** How many checkpoints failed, and why the newest did (the first line of Flink's reason, at most 160 characters). */
    private static String failures(FlinkRest.Checkpoints checkpoints) {
        if (checkpoints.failed() == 0) {
            return "";
        }
        return " (" + checkpoints.failed() + " failed" + checkpoints.lastFailure().map(failure -> {
            String reason = failure.message().lines().findFirst().orElse("").strip();
            return ", the last #" + failure.id() + " at " + failure.at().truncatedTo(ChronoUnit.SECONDS) + ": "
                    + (reason.length() > 160 ? reason.substring(0, 157) + "..." : reason);
        }).orElse("") + ")";
    }
}
