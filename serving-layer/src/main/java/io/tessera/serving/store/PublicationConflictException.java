package io.tessera.serving.store;

/** Another publisher kept switching the view while this one tried: nothing was changed by this one. */
public class PublicationConflictException extends IllegalStateException {

    public PublicationConflictException(String message) {
        super(message);
    }
}
