package io.tessera.bench;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-loop, constant-rate load: request {@code i} is due at {@code start + i / rate} whatever the
 * answers to the earlier ones, and its latency runs from that due time to its answer, so a stall of the
 * server counts for every request scheduled behind it (coordinated omission corrected, as wrk2 does).
 * Calls are asynchronous: one scheduling thread sends, the answers complete on the client's threads,
 * and no client thread is held while a request waits. At most {@link #maxInFlight} requests are
 * outstanding; past that the scheduler waits, and the wait is in the latency of the requests it delays.
 */
final class OpenLoop {

    /** Starts one request for a key; the future completes with its answer, or exceptionally on a failure. */
    interface Call {
        CompletableFuture<?> start(int key);
    }

    /** One run: what was sent, how fast, and the latency from each request's due time (nanoseconds). */
    record Run(int rate, long sent, double seconds, Histogram latency, long errors, String firstError) {

        double achieved() {
            return sent / seconds;
        }

        double millisAt(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1e6;
        }
    }

    private final int keys;
    private final int maxInFlight;

    OpenLoop(int keys, int maxInFlight) {
        this.keys = keys;
        this.maxInFlight = maxInFlight;
    }

    /** {@code rate} requests a second for {@code seconds}; returns once every request is answered or failed. */
    Run run(Call call, int rate, int seconds) {
        long interval = 1_000_000_000L / rate;
        long total = (long) rate * seconds;
        Random random = new Random(7);
        Recorder recorder = new Recorder(3);
        AtomicLong errors = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        Semaphore inFlight = new Semaphore(maxInFlight);
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquireUninterruptibly();
            CompletableFuture<?> answer;
            try {
                answer = call.start(random.nextInt(keys));
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((result, failure) -> {
                recorder.recordValue(Math.max(0, System.nanoTime() - due));
                if (failure != null) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, String.valueOf(failure));
                }
                inFlight.release();
            });
        }
        try {
            // requests carry their own timeout: this returns
            if (!inFlight.tryAcquire(maxInFlight, 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException((maxInFlight - inFlight.availablePermits()) + " requests unanswered 60 s after the run");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Run(rate, total, elapsed, recorder.getIntervalHistogram(), errors.get(), firstError.get());
    }
}
