package io.tessera.serving.store;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A value of the serving tables read again at most once a period, by one caller at a time: the callers
 * that find it due while another reads it keep the last value meanwhile. Under load, every request
 * thread would otherwise find it due in the same instant and read the same row at once, each waiting
 * on Cassandra. A failed read throws to the caller that made it; the next due caller reads again.
 */
final class PeriodicRead<T> {

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

    T get() {
        Sample<T> sample = last;
        if (sample == null) {
            sample = new Sample<>(read.get(), System.nanoTime());   // nothing to keep yet: every first caller reads
            last = sample;
            return sample.value();
        }
        if (System.nanoTime() - sample.readAt() > periodNanos && reading.compareAndSet(false, true)) {
            try {
                sample = new Sample<>(read.get(), System.nanoTime());
                last = sample;
            } finally {
                reading.set(false);
            }
        }
        return sample.value();
    }
}
