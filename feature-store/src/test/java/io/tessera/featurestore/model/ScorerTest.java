package io.tessera.featurestore.model;

import static io.tessera.featurestore.model.Models.artifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Task;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The scorer against Spark MLlib's semantics. The expected values are computed here from the model's
 * definition, independently of the scorer's flat arrays.
 */
class ScorerTest {

    // ---- trees: a tiny tree walked by hand ----------------------------------------------------------

    /** x0 <= 1.5 ? (x1 in {0, 2} ? 10 : 20) : 30 */
    private static final DecisionTree SMALL = new DecisionTree(List.of(
            new TreeNode.ContinuousSplit(0, 1.5, 1, 4),
            new TreeNode.CategoricalSplit(1, new double[] {0.0, 2.0}, 2, 3),
            TreeNode.Leaf.of(10), TreeNode.Leaf.of(20), TreeNode.Leaf.of(30)));

    @Test
    void continuousSplitsGoLeftWhenLessOrEqualAndNaNGoesRight() {
        Scorer scorer = Scorer.of(artifact(Task.REGRESSION, Algorithm.RANDOM_FOREST, 2,
                new ModelBody.TreeEnsemble(List.of(SMALL), new double[] {1.0})));

        assertThat(scorer.score(new double[] {1.5, 0})).isEqualTo(10.0);
        assertThat(scorer.score(new double[] {Math.nextUp(1.5), 0})).isEqualTo(30.0);
        assertThat(scorer.score(new double[] {Double.NaN, 0})).isEqualTo(30.0);
    }

    @Test
    void categoricalSplitsGoLeftForTheLeftCategoriesOnly() {
        Scorer scorer = Scorer.of(artifact(Task.REGRESSION, Algorithm.RANDOM_FOREST, 2,
                new ModelBody.TreeEnsemble(List.of(SMALL), new double[] {1.0})));

        assertThat(scorer.score(new double[] {0, 0})).isEqualTo(10.0);
        assertThat(scorer.score(new double[] {0, 2})).isEqualTo(10.0);
        assertThat(scorer.score(new double[] {0, 1})).isEqualTo(20.0);
        assertThat(scorer.score(new double[] {0, 2.5})).isEqualTo(20.0);
    }

    // ---- the ensembles' arithmetic ----------------------------------------------------------------

    @Test
    void gbtClassificationIsSparksLogLossOfTheWeightedMargin() {
        DecisionTree a = tree(0, 0.0, -0.4, 0.9);
        DecisionTree b = tree(1, 5.0, 0.25, -0.75);
        Scorer scorer = Scorer.of(artifact(Task.BINARY_CLASSIFICATION, Algorithm.GBT, 2,
                new ModelBody.TreeEnsemble(List.of(a, b), new double[] {1.0, 0.1})));

        double margin = 0.9 * 1.0 + 0.25 * 0.1; // x0 > 0 -> 0.9; x1 <= 5 -> 0.25
        assertThat(scorer.score(new double[] {1.0, 3.0})).isCloseTo(1.0 / (1.0 + Math.exp(-2 * margin)), within(1e-15));
    }

    @Test
    void gbtSumsLikeSparksJavaBlasBitForBit() {
        // Nine one-leaf trees. Java11BLAS.ddot keeps four FMA lanes over trees 0-7 (lane i takes trees i
        // and i + 4), adds the lanes, then FMAs tree 8. Left-to-right addition loses the 1s to 1e16.
        double[] leaves = {1e16, 1, 1, 1, -1e16, 1, 1, 1, 0.5};
        double[] weights = {1, 1, 1, 1, 1, 1, 1, 1, 0.1};
        List<DecisionTree> trees = Arrays.stream(leaves).mapToObj(v -> new DecisionTree(List.<TreeNode>of(TreeNode.Leaf.of(v)))).toList();
        Scorer scorer = Scorer.of(artifact(Task.REGRESSION, Algorithm.GBT, 1, new ModelBody.TreeEnsemble(trees, weights)));

        double lane0 = Math.fma(-1e16, 1, Math.fma(1e16, 1, 0.0));
        double lane1 = Math.fma(1, 1, Math.fma(1, 1, 0.0));
        double lanes = 0.0 + (lane0 + lane1 + lane1 + lane1);
        double spark = Math.fma(0.5, 0.1, lanes);
        double leftToRight = 0.0;
        for (int i = 0; i < leaves.length; i++) {
            leftToRight += leaves[i] * weights[i];
        }
        assertThat(spark).isEqualTo(6.05).isNotEqualTo(leftToRight);
        assertThat(scorer.score(new double[] {0})).isEqualTo(spark);
    }

    @Test
    void randomForestClassificationAveragesNormalizedLeafDistributions() {
        DecisionTree a = new DecisionTree(List.of(new TreeNode.ContinuousSplit(0, 0.0, 1, 2),
                new TreeNode.Leaf(0, new double[] {8, 2}), new TreeNode.Leaf(1, new double[] {1, 3})));
        DecisionTree b = new DecisionTree(List.<TreeNode>of(new TreeNode.Leaf(0, new double[] {3, 1})));
        DecisionTree empty = new DecisionTree(List.<TreeNode>of(new TreeNode.Leaf(0, new double[] {0, 0})));
        Scorer scorer = Scorer.of(artifact(Task.BINARY_CLASSIFICATION, Algorithm.RANDOM_FOREST, 1,
                new ModelBody.TreeEnsemble(List.of(a, b, empty), new double[] {1, 1, 1})));

        double votes0 = 1.0 / 4 + 3.0 / 4;
        double votes1 = 3.0 / 4 + 1.0 / 4;
        assertThat(scorer.score(new double[] {1.0})).isEqualTo(votes1 / (votes0 + votes1));
        assertThat(scorer.score(new double[] {-1.0})).isEqualTo((2.0 / 10 + 1.0 / 4) / ((8.0 / 10 + 3.0 / 4) + (2.0 / 10 + 1.0 / 4)));
    }

    @Test
    void randomForestRegressionIsTheMeanOfTheTrees() {
        Scorer scorer = Scorer.of(artifact(Task.REGRESSION, Algorithm.RANDOM_FOREST, 1,
                new ModelBody.TreeEnsemble(List.of(tree(0, 0.0, 1.0, 2.0), tree(0, 10.0, 4.0, 8.0)), new double[] {1, 1})));

        assertThat(scorer.score(new double[] {5.0})).isEqualTo((2.0 + 4.0) / 2);
    }

    @Test
    void logisticRegressionIsTheSigmoidOfTheMargin() {
        Scorer scorer = Scorer.of(artifact(Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, 3,
                new ModelBody.Linear(new double[] {0.5, -1.25, 2.0}, -0.3)));

        double margin = 0.5 * 2 - 1.25 * 1 + 2.0 * 0.25 - 0.3;
        assertThat(scorer.score(new double[] {2, 1, 0.25})).isCloseTo(1 / (1 + Math.exp(-margin)), within(1e-15));
    }

    @Test
    void linearRegressionIsTheMargin() {
        Scorer scorer = Scorer.of(artifact(Task.REGRESSION, Algorithm.LINEAR_REGRESSION, 2,
                new ModelBody.Linear(new double[] {3.0, 0.5}, 10.0)));

        assertThat(scorer.score(new double[] {2, 4})).isEqualTo(18.0);
        assertThat(scorer.featureCount()).isEqualTo(2);
    }

    @Test
    void aVectorOfTheWrongLengthIsRefused() {
        Scorer scorer = Scorer.of(artifact(Task.REGRESSION, Algorithm.LINEAR_REGRESSION, 2,
                new ModelBody.Linear(new double[] {3.0, 0.5}, 10.0)));

        assertThatThrownBy(() -> scorer.score(new double[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 2 features, got 3");
    }

    // ---- against an independent walk of the model records ------------------------------------------

    @Property(tries = 300)
    void treeEnsemblesAgreeWithAWalkOfTheRecords(@ForAll long seed) {
        Random random = new Random(seed);
        int features = 1 + random.nextInt(8);
        boolean forest = random.nextBoolean();
        boolean classification = random.nextBoolean();
        ModelBody.TreeEnsemble ensemble = Models.randomEnsemble(random, 1 + random.nextInt(12), 1 + random.nextInt(5),
                features, forest && classification);
        Task task = classification ? Task.BINARY_CLASSIFICATION : Task.REGRESSION;
        Scorer scorer = Scorer.of(artifact(task, forest ? Algorithm.RANDOM_FOREST : Algorithm.GBT, features, ensemble));

        for (int i = 0; i < 20; i++) {
            double[] x = Models.randomVector(random, features);
            double expected = expected(ensemble, forest, classification, x);
            double actual = scorer.score(x);
            if (Double.isNaN(expected)) {
                assertThat(actual).isNaN();
            } else {
                assertThat(actual).isCloseTo(expected, within(1e-12 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    /** Spark's definitions with exact arithmetic where Spark's own rounding is not the point. */
    private static double expected(ModelBody.TreeEnsemble ensemble, boolean forest, boolean classification, double[] x) {
        List<TreeNode.Leaf> leaves = ensemble.trees().stream().map(t -> walk(t, x)).toList();
        if (!forest) {
            BigDecimal margin = BigDecimal.ZERO;
            for (int i = 0; i < leaves.size(); i++) {
                margin = margin.add(new BigDecimal(leaves.get(i).prediction()).multiply(new BigDecimal(ensemble.treeWeights()[i])));
            }
            double m = margin.round(MathContext.DECIMAL128).doubleValue();
            return classification ? 1 / (1 + Math.exp(-2 * m)) : m;
        }
        if (!classification) {
            return leaves.stream().mapToDouble(TreeNode.Leaf::prediction).sum() / leaves.size();
        }
        double votes0 = 0;
        double votes1 = 0;
        for (TreeNode.Leaf leaf : leaves) {
            double total = leaf.impurityStats()[0] + leaf.impurityStats()[1];
            if (total != 0) {
                votes0 += leaf.impurityStats()[0] / total;
                votes1 += leaf.impurityStats()[1] / total;
            }
        }
        return votes0 + votes1 == 0 ? Double.NaN : votes1 / (votes0 + votes1);
    }

    private static TreeNode.Leaf walk(DecisionTree tree, double[] x) {
        TreeNode node = tree.nodes().get(0);
        while (!(node instanceof TreeNode.Leaf leaf)) {
            if (node instanceof TreeNode.ContinuousSplit split) {
                node = tree.nodes().get(x[split.feature()] <= split.threshold() ? split.left() : split.right());
            } else {
                TreeNode.CategoricalSplit split = (TreeNode.CategoricalSplit) node;
                boolean left = Arrays.stream(split.leftCategories()).anyMatch(c -> c == x[split.feature()]);
                node = tree.nodes().get(left ? split.left() : split.right());
            }
        }
        return leaf;
    }

    // ---- the hot path -------------------------------------------------------------------------------

    @Test
    void scoringAllocatesNothing() {
        Random random = new Random(7);
        Scorer gbt = Scorer.of(artifact(Task.BINARY_CLASSIFICATION, Algorithm.GBT, 20,
                Models.randomEnsemble(random, 50, 5, 20, false)));
        Scorer linear = Scorer.of(artifact(Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, 20,
                new ModelBody.Linear(new double[20], 0.1)));
        double[][] vectors = new double[64][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = Models.randomVector(random, 20);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double sink = 0;
        for (int i = 0; i < 200_000; i++) { // let the JIT compile the loops
            sink += gbt.score(vectors[i & 63]) + linear.score(vectors[i & 63]);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sink += gbt.score(vectors[i & 63]) + linear.score(vectors[i & 63]);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isNotNaN();
        assertThat(allocated).as("bytes allocated by 200,000 scores").isLessThan(10_000);
    }

    private static DecisionTree tree(int feature, double threshold, double left, double right) {
        return new DecisionTree(List.of(new TreeNode.ContinuousSplit(feature, threshold, 1, 2),
                TreeNode.Leaf.of(left), TreeNode.Leaf.of(right)));
    }
}
