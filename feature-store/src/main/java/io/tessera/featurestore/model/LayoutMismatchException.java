package io.tessera.featurestore.model;

/**
 * A model asked to score vectors of a layout it was not trained on: other columns, or the same column
 * names over other definitions (a changed window or condition). Scoring them would give numbers that
 * mean nothing, so the caller must withhold the scores or use a model of this layout.
 */
public class LayoutMismatchException extends ModelFormatException {

    public LayoutMismatchException(String message) {
        super(message);
    }
}
