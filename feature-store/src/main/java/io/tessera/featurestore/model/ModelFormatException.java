package io.tessera.featurestore.model;

/**
 * A model artifact that cannot be used: not this format, a checksum that does not match its content, or
 * content that is inconsistent (a split on a feature the model does not have, a tree that loops).
 */
public class ModelFormatException extends IllegalArgumentException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
