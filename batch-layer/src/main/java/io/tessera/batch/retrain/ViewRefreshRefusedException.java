package io.tessera.batch.retrain;

/** A refresh of the batch view that cannot be done as the view serving was computed; nothing was published. */
public final class ViewRefreshRefusedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public ViewRefreshRefusedException(String message) {
        super(message);
    }
}
