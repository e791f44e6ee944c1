package io.tessera.featurestore.model;

/**
 * Spark's {@code GBTClassificationModel} and {@code GBTRegressionModel}.
 *
 * <p>{@code margin = ddot(treePredictions, treeWeights)} (summed as {@link SparkDot} does, without
 * materializing the predictions). Regression returns the margin. Classification returns Spark's
 * {@code probability(1)}: Spark sets {@code raw = [-margin, margin]}, {@code p0 = 1 / (1 + exp(-2 *
 * raw0))} (its LogLoss), {@code p1 = 1 - p0}; that is {@code 1/(1+exp(-2m))} in exact arithmetic and
 * computed here in Spark's order so the doubles agree.
 */
final class GbtScorer implements Scorer {

    private final FlatForest forest;
    private final double[] weights;
    private final boolean classification;
    private final int featureCount;

    GbtScorer(FlatForest forest, double[] weights, boolean classification) {
        this.forest = forest;
        this.weights = weights.clone();
        this.classification = classification;
        this.featureCount = forest.featureCount;
    }

    @Override
    public double score(double[] features) {
        LogisticScorer.checkLength(features, featureCount);
        double margin = margin(features);
        if (!classification) {
            return margin;
        }
        double p0 = 1.0 / (1.0 + Math.exp(-2.0 * -margin));
        return 1.0 - p0;
    }

    /** {@link SparkDot#dot} over (tree prediction, tree weight), with the predictions computed in place. */
    private double margin(double[] x) {
        int n = forest.trees;
        int bound = n - n % 4;
        double sum0 = 0.0;
        double sum1 = 0.0;
        double sum2 = 0.0;
        double sum3 = 0.0;
        double[] prediction = forest.prediction;
        int t = 0;
        for (; t < bound; t += 4) {
            sum0 = Math.fma(prediction[forest.leaf(t, x)], weights[t], sum0);
            sum1 = Math.fma(prediction[forest.leaf(t + 1, x)], weights[t + 1], sum1);
            sum2 = Math.fma(prediction[forest.leaf(t + 2, x)], weights[t + 2], sum2);
            sum3 = Math.fma(prediction[forest.leaf(t + 3, x)], weights[t + 3], sum3);
        }
        double sum = 0.0;
        sum += sum0 + sum1 + sum2 + sum3;
        for (; t < n; t++) {
            sum = Math.fma(prediction[forest.leaf(t, x)], weights[t], sum);
        }
        return sum;
    }

    @Override
    public int featureCount() {
        return featureCount;
    }
}
