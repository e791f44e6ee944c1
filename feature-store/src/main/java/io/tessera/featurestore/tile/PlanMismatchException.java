package io.tessera.featurestore.tile;

/**
 * Partials written under another feature plan (another spec's aggregations, tile or lateness): merging
 * them would mix up aggregations, so they are refused. Re-publish the view or restart the speed layer
 * with the current spec.
 */
public class PlanMismatchException extends IllegalStateException {

    public PlanMismatchException(String message) {
        super(message);
    }
}
