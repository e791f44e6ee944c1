package io.tessera.featurestore.model;

/** Spark's {@code LinearRegressionModel}: {@code dot(x, coefficients) + intercept}. */
final class LinearScorer implements Scorer {

    private final double[] coefficients;
    private final double intercept;

    LinearScorer(double[] coefficients, double intercept) {
        this.coefficients = coefficients.clone();
        this.intercept = intercept;
    }

    @Override
    public double score(double[] features) {
        LogisticScorer.checkLength(features, coefficients.length);
        return SparkDot.dot(features, coefficients, coefficients.length) + intercept;
    }

    @Override
    public int featureCount() {
        return coefficients.length;
    }
}
