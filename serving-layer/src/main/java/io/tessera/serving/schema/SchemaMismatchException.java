package io.tessera.serving.schema;

/** The serving tables are not at the version this build reads: migrate them, or upgrade the reader. */
public class SchemaMismatchException extends IllegalStateException {

    public SchemaMismatchException(String message) {
        super(message);
    }
}
