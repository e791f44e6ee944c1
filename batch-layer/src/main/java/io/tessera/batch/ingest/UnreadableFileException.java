package io.tessera.batch.ingest;

/**
 * The file as a whole cannot be ingested (not there, empty where a header is needed, not text): nothing
 * was written. The message says what and where (file, line, byte offset), for one line on the console.
 */
public final class UnreadableFileException extends IllegalArgumentException {

    public UnreadableFileException(String message) {
        super(message);
    }
}
