package io.tessera.serving.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A value of the serving tables read again at most once a period, by one caller at a time: the callers
 * that find it due while another reads it keep the last value meanwhile. Under load, every request
 * thread would otherwise find it due in the same instant and read the same row at once, each waiting
 * on Cassandra. A failed read fails the caller that made it; the next due caller reads again.
 *
 * <p>The read itself runs on a thread of its own, so that a caller on an event loop (the query API
 * answers on Netty's) never blocks on it: {@link #getAsync()} completes when the value is there.
 */
final class PeriodicRead<T> {

    private static final ExecutorService READS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "serving-periodic-read");
        thread.setDaemon(true);
        return thread;
    });

    private record Sample<T>(T value, long readAt) {
    }

    private final Supplier<T> read;
    private final long periodNanos;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile Sample<T> last;

    PeriodicRead(Supplier<T> read, long periodNanos) {
        this.read = read;
        this.periodNanos = periodNanos;
    }

    /** The value: at once if it is not due (or another caller is reading it), else when this caller's read ends. */
    CompletableFuture<T> getAsync() {
        Sample<T> sample = last;
        if (sample == null) {
            return readNow();   // nothing to keep yet: every first caller reads
        }
        if (System.nanoTime() - sample.readAt() > periodNanos && reading.compareAndSet(false, true)) {
            return readNow().whenComplete((value, failure) -> reading.set(false));
        }
        return CompletableFuture.completedFuture(sample.value());
    }

    private CompletableFuture<T> readNow() {
        return CompletableFuture.supplyAsync(() -> {
            T value = read.get();
            last = new Sample<>(value, System.nanoTime());
            return value;
        }, READS);
    }
}
