package io.tessera.featurestore.model;

/**
 * Scores one feature vector with a model, in plain Java: no Spark on the classpath.
 *
 * <p>Implementations mirror Spark MLlib's own arithmetic (see each class), are immutable and
 * thread-safe, and allocate nothing per score: the speed layer calls this for every event.
 */
public interface Scorer {

    /**
     * @param features a vector in the order of the artifact's {@code features}
     * @return for binary classification the probability of the positive class; for regression the
     *     prediction
     * @throws IllegalArgumentException if the vector has the wrong length
     */
    double score(double[] features);

    /** The vector length this scorer takes. */
    int featureCount();

    /**
     * The scorer for an artifact.
     *
     * @throws ModelFormatException if the body does not fit the algorithm
     */
    static Scorer of(ModelArtifact artifact) {
        return artifact.body().scorer(artifact);
    }
}
