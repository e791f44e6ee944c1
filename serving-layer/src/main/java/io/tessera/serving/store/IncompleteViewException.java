package io.tessera.serving.store;

/** A view version whose rows were not all written: switching to it would serve keys without their view. */
public class IncompleteViewException extends IllegalStateException {

    public IncompleteViewException(String message) {
        super(message);
    }
}
