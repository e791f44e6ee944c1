package io.tessera.jobs.replay;

/** Hears how far a replay got; {@link #acknowledged()} is called from the Kafka producer's I/O thread. */
public interface ReplayProgress extends AutoCloseable {

    /** Shows nothing: tests, benchmarks, and output that is not a terminal. */
    ReplayProgress NONE = new ReplayProgress() {
    };

    /** Before the first send. */
    default void started(long records) {
    }

    /** Kafka acknowledged one more record. */
    default void acknowledged() {
    }

    @Override
    default void close() {
    }
}
