package io.tessera.batch.ingest;

/**
 * Another writer (an ingest of another file, the speed layer) committed rows into the event-time range
 * (or, for quarantine, the source) of this ingest between its read and its commit, so its deduplication
 * may be stale: nothing was committed. {@link FileIngest} reads again and retries a few times before it
 * gives up with this exception.
 */
public final class ConcurrentIngestException extends IllegalStateException {

    public ConcurrentIngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
