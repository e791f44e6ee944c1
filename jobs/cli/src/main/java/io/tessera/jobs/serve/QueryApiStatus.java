package io.tessera.jobs.serve;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * What {@code stack status} says of the query API: one line.
 *
 * @param pid the process, or -1 when none runs
 * @param state READY (Cassandra answers it), NOT_READY, NOT_ANSWERING, or what else its readiness probe said
 */
public record QueryApiStatus(long pid, String state, Duration uptime, String url, String detail) {

    static QueryApiStatus down(String detail) {
        return new QueryApiStatus(-1, "-", Duration.ZERO, "", detail);
    }

    /** The process runs and answers ready: applications get answers. */
    public boolean isUp() {
        return pid > 0 && state.equals("READY");
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(String.format("%-24s %-8s %-10s", QueryApi.ID, pid > 0 ? "running" : "down", pid > 0 ? "pid " + pid : "-"));
        if (pid > 0) {
            line.append(' ').append(state).append(", up ").append(uptime.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase());
            if (!url.isEmpty()) {
                line.append(", ").append(url);
            }
        }
        if (!detail.isEmpty()) {
            line.append("  (").append(detail).append(')');
        }
        return line.toString();
    }
}
