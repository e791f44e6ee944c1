package io.tessera.batch.registry;

/**
 * Another registration committed to the registry between this one's read and its commit (two retrains
 * raced), and Iceberg's commit-time validation refused this one so that the registry never holds two
 * champions. Nothing of this registration is in the registry: re-run the retrain, which then trains
 * against the new champion.
 */
public final class ConcurrentPromotionException extends IllegalStateException {

    public ConcurrentPromotionException(String message, Throwable cause) {
        super(message, cause);
    }
}
