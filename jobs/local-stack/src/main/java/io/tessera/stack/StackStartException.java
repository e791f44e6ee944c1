package io.tessera.stack;

/** A service of the local stack could not be started; the message names the service and its log. */
public final class StackStartException extends RuntimeException {
    public StackStartException(String message) {
        super(message);
    }
}
