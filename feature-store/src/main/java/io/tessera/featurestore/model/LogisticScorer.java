package io.tessera.featurestore.model;

/**
 * Spark's {@code LogisticRegressionModel} (binary): {@code margin = dot(x, coefficients) + intercept},
 * {@code P(1) = 1 / (1 + exp(-margin))}.
 */
final class LogisticScorer implements Scorer {

    private final double[] coefficients;
    private final double intercept;

    LogisticScorer(double[] coefficients, double intercept) {
        this.coefficients = coefficients.clone();
        this.intercept = intercept;
    }

    @Override
    public double score(double[] features) {
        checkLength(features, coefficients.length);
        double margin = SparkDot.dot(features, coefficients, coefficients.length) + intercept;
        return 1.0 / (1.0 + Math.exp(-margin));
    }

    @Override
    public int featureCount() {
        return coefficients.length;
    }

    static void checkLength(double[] features, int expected) {
        if (features.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " features, got " + features.length);
        }
    }
}
