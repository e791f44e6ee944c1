package io.tessera.stack;

import java.util.OptionalLong;

/** What {@code stack status} reports for one service. */
public record ServiceStatus(ServiceName name, State state, OptionalLong pid, String address, String detail) {

    public enum State {
        /** The process runs and answers a real request. */
        READY,
        /** The process runs but does not answer (yet). */
        NOT_READY,
        /** No process; {@code detail} says whether a stale pid file was found. */
        DOWN,
        /** No process, as expected of a service that is started only when named ({@link ServiceName#byDefault()}). */
        OFF
    }

    public boolean isReady() {
        return state == State.READY;
    }

    /** Ready, or off as it should be: what {@code stack status} accepts. */
    public boolean isAsExpected() {
        return state == State.READY || state == State.OFF;
    }

    @Override
    public String toString() {
        String pidText = pid.isPresent() ? "pid " + pid.getAsLong() : "-";
        return String.format("%-16s %-9s %-10s %s%s", name.id(), state.name().toLowerCase().replace('_', ' '),
                pidText, address, detail.isEmpty() ? "" : "  (" + detail + ")");
    }
}
