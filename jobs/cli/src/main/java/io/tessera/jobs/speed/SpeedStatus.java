package io.tessera.jobs.speed;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;

/** What {@code speed status} (and {@code stack status}) says of one pipeline's speed layer: one line. */
public record SpeedStatus(String pipeline, OptionalLong pid, String jobState, Duration uptime, Optional<FlinkRest.Checkpoints> checkpoints,
        String webUi, String detail) {

    static SpeedStatus down(String pipeline, String detail) {
        return new SpeedStatus(pipeline, OptionalLong.empty(), "-", Duration.ZERO, Optional.empty(), "", detail);
    }

    /** The process runs and Flink runs its job; anything else is a speed layer that does not score. */
    public boolean isUp() {
        return pid.isPresent() && jobState.equals("RUNNING");
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(String.format("%-24s %-8s %-10s", "speed-" + pipeline, pid.isPresent() ? "running" : "down",
                pid.isPresent() ? "pid " + pid.getAsLong() : "-"));
        if (pid.isPresent()) {
            line.append(" job ").append(jobState).append(", up ").append(uptime.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase());
            checkpoints.ifPresent(c -> line.append(", checkpoints ").append(c.completed()).append(c.failed() > 0 ? " (" + c.failed() + " failed)" : "")
                    .append(c.latest().map(last -> ", last #" + last.id() + " at " + last.at().truncatedTo(ChronoUnit.SECONDS)).orElse("")));
            if (!webUi.isEmpty()) {
                line.append(", ").append(webUi);
            }
        }
        if (!detail.isEmpty()) {
            line.append("  (").append(detail).append(')');
        }
        return line.toString();
    }
}
