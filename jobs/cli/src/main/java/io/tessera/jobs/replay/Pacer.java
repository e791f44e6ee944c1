package io.tessera.jobs.replay;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Paces sends at a constant rate: send {@code i} is due at {@code start + i / rate}, computed from the
 * start every time, so a late send (a GC pause, a full producer buffer) is caught up by the next ones
 * instead of shifting every later send: the rate over the run stays the rate asked for. Waits by parking,
 * never by spinning (two cores are shared with the servers being fed), and above 1,000 sends a second
 * rounds due times up to the next millisecond, so the sends of a millisecond go together after one wake-up:
 * a park per send took a third of a core at 5,000/s (bench/README.md, "Speed layer throughput").
 */
final class Pacer {

    /** Parks the calling thread for up to the given nanoseconds (it may wake early). */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private static final long MILLISECOND = 1_000_000;

    private final double nanosPerSend;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private long start;

    /** @param ratePerSecond sends per second; 0 for as fast as possible */
    Pacer(double ratePerSecond, LongSupplier clock, Sleeper sleeper) {
        if (ratePerSecond < 0 || Double.isNaN(ratePerSecond) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of events per second, or 0 for unpaced: " + ratePerSecond);
        }
        this.nanosPerSend = ratePerSecond == 0 ? 0 : 1e9 / ratePerSecond;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    static Pacer atRate(double ratePerSecond) {
        return new Pacer(ratePerSecond, System::nanoTime, Pacer::park);
    }

    /** Marks send 0's time: now. */
    void start() {
        start = clock.getAsLong();
    }

    /** When send {@code i} is due, in the clock's nanoseconds: never early, and at most a millisecond late. */
    long due(long i) {
        long offset = (long) (i * nanosPerSend);
        if (nanosPerSend < MILLISECOND) {
            offset = (offset + MILLISECOND - 1) / MILLISECOND * MILLISECOND;
        }
        return start + offset;
    }

    /** Returns when send {@code i} is due (at once if it is overdue, or if unpaced). */
    void awaitSend(long i) throws InterruptedException {
        if (nanosPerSend == 0) {
            return;
        }
        long due = due(i);
        for (long wait = due - clock.getAsLong(); wait > 0; wait = due - clock.getAsLong()) {
            sleeper.sleepNanos(wait);
        }
    }

    /** parkNanos, not Thread.sleep: Java 17 rounds a sleep up to whole milliseconds, too coarse beyond 1,000/s. */
    private static void park(long nanos) throws InterruptedException {
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
