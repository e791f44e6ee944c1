package io.tessera.speed.sink;

import java.io.IOException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A window of asynchronous Cassandra writes for a Flink sink writer: at most {@code capacity} in flight,
 * all awaited at each checkpoint ({@link #awaitAll}), so a checkpoint completes only when every write
 * before its barrier is in Cassandra. The first failure is rethrown at the next write or flush, failing
 * the task (the job then restarts from its last checkpoint). Used by one task thread; completions come
 * from the driver's threads.
 */
public final class InFlightWrites {

    private final int capacity;
    private final Semaphore slots;
    private final String what;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** @param what names the rows in a failure's message, e.g. "a realtime row" */
    public InFlightWrites(int capacity, String what) {
        this.capacity = capacity;
        this.slots = new Semaphore(capacity);
        this.what = what;
    }

    /** Starts a write once a slot is free. */
    public void submit(Supplier<CompletionStage<?>> write) throws IOException, InterruptedException {
        rethrow();
        slots.acquire();
        write.get().whenComplete((ok, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            slots.release();
        });
    }

    /** Waits until every write submitted so far has completed. */
    public void awaitAll() throws IOException, InterruptedException {
        slots.acquire(capacity);
        slots.release(capacity);
        rethrow();
    }

    private void rethrow() throws IOException {
        Throwable error = failure.get();
        if (error != null) {
            throw new IOException(what + " could not be written to Cassandra: " + error.getMessage(), error);
        }
    }
}
