package io.tessera.featurestore.model;

/**
 * Spark's {@code RandomForestClassificationModel} and {@code RandomForestRegressionModel}.
 *
 * <p>Classification: each tree votes with its leaf's class distribution normalized to sum to 1
 * ({@code count / total}; a leaf with no weight does not vote), the votes are summed in tree order, and
 * {@code P(1) = votes1 / (votes0 + votes1)} (Spark's {@code normalizeToProbabilitiesInPlace}); a forest
 * whose leaves all have no weight gives NaN where Spark would fail. Regression: the mean of the trees'
 * predictions, summed in tree order then divided by the number of trees.
 */
final class ForestScorer implements Scorer {

    private final FlatForest forest;
    private final boolean classification;
    private final int featureCount;

    ForestScorer(FlatForest forest, boolean classification) {
        this.forest = forest;
        this.classification = classification;
        this.featureCount = forest.featureCount;
    }

    @Override
    public double score(double[] features) {
        LogisticScorer.checkLength(features, featureCount);
        if (classification) {
            double votes0 = 0.0;
            double votes1 = 0.0;
            for (int t = 0; t < forest.trees; t++) {
                int leaf = forest.leaf(t, features);
                votes0 += forest.negative[leaf];
                votes1 += forest.positive[leaf];
            }
            double total = 0.0 + votes0 + votes1;
            return total > 0 ? votes1 / total : Double.NaN;
        }
        double sum = 0.0;
        for (int t = 0; t < forest.trees; t++) {
            sum += forest.prediction[forest.leaf(t, features)];
        }
        return sum / forest.trees;
    }

    @Override
    public int featureCount() {
        return featureCount;
    }
}
