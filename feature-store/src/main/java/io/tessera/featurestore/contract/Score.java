package io.tessera.featurestore.contract;

import java.util.Objects;

/**
 * A model's score for a key, with where it comes from.
 *
 * @param value for binary classification the probability of the positive class, for regression the
 *     prediction
 */
public record Score(double value, Provenance provenance) {

    public Score {
        Objects.requireNonNull(provenance, "provenance");
        if (provenance.model().isEmpty()) {
            throw new IllegalArgumentException("a score names the model that computed it");
        }
    }
}
