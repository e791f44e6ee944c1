package io.tessera.featurestore.contract;

/** A control message that is not one this build can read: not JSON, another format, a missing field. */
public class ControlMessageFormatException extends IllegalArgumentException {

    public ControlMessageFormatException(String message) {
        super(message);
    }

    public ControlMessageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
