package io.tessera.featurestore.aggregate;

/** Bytes that are not a partial this build can read: another format version, another op, or corrupt. */
public class PartialFormatException extends IllegalArgumentException {

    public PartialFormatException(String message) {
        super(message);
    }
}
