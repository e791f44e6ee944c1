package io.tessera.stack;

/** The machine lacks something the project cannot fetch by itself (a JDK of the right version, say). */
public final class MissingPrerequisiteException extends RuntimeException {
    public MissingPrerequisiteException(String message) {
        super(message);
    }
}
