package io.tessera.featurestore.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Trees compiled into parallel arrays, so that walking them allocates nothing and touches few cache
 * lines: all nodes of all trees share one index space, and the two children of a split are adjacent
 * ({@code child[n]} left, {@code child[n] + 1} right), so a step down is an add, not a branch the CPU
 * must guess.
 *
 * <p>{@code feature[n]} says what node {@code n} is: {@code >= 0} a continuous split on that feature,
 * {@link #LEAF}, or {@code -2 - f} a categorical split on feature {@code f} (its left categories are
 * {@code categories[categoryStart[n] .. categoryEnd[n])}).
 */
final class FlatForest {

    static final int LEAF = -1;

    final int trees;
    final int featureCount;
    final int[] roots;
    final int[] feature;
    final double[] threshold;
    final int[] child;
    final int[] categoryStart;
    final int[] categoryEnd;
    final double[] categories;
    /** Leaf prediction. */
    final double[] prediction;
    /** Leaf class distribution, normalized as Spark's random forest does ({@code count / total}). */
    final double[] negative;
    final double[] positive;

    private FlatForest(int trees, int featureCount, int nodes, int categoryCount) {
        this.trees = trees;
        this.featureCount = featureCount;
        this.roots = new int[trees];
        this.feature = new int[nodes];
        this.threshold = new double[nodes];
        this.child = new int[nodes];
        this.categoryStart = new int[nodes];
        this.categoryEnd = new int[nodes];
        this.categories = new double[categoryCount];
        this.prediction = new double[nodes];
        this.negative = new double[nodes];
        this.positive = new double[nodes];
    }

    static FlatForest of(ModelBody.TreeEnsemble ensemble, int featureCount) {
        List<DecisionTree> trees = ensemble.trees();
        int nodes = 0;
        int categoryCount = 0;
        for (DecisionTree tree : trees) {
            nodes += tree.nodes().size();
            for (TreeNode node : tree.nodes()) {
                if (node instanceof TreeNode.CategoricalSplit c) {
                    categoryCount += c.leftCategories().length;
                }
            }
        }
        FlatForest forest = new FlatForest(trees.size(), featureCount, nodes, categoryCount);
        int next = 0;
        int[] nextCategory = {0};
        for (int t = 0; t < trees.size(); t++) {
            List<TreeNode> treeNodes = trees.get(t).nodes();
            // Breadth-first renumbering: each split gets two consecutive slots for its children.
            forest.roots[t] = next;
            Deque<int[]> queue = new ArrayDeque<>(); // {node in the tree, slot in the arrays}
            queue.add(new int[] {0, next++});
            while (!queue.isEmpty()) {
                int[] item = queue.poll();
                TreeNode node = treeNodes.get(item[0]);
                int slot = item[1];
                if (node instanceof TreeNode.ContinuousSplit split) {
                    forest.feature[slot] = split.feature();
                    forest.threshold[slot] = split.threshold();
                    forest.child[slot] = next;
                    queue.add(new int[] {split.left(), next++});
                    queue.add(new int[] {split.right(), next++});
                } else if (node instanceof TreeNode.CategoricalSplit split) {
                    forest.feature[slot] = -2 - split.feature();
                    forest.child[slot] = next;
                    queue.add(new int[] {split.left(), next++});
                    queue.add(new int[] {split.right(), next++});
                    forest.categoryStart[slot] = nextCategory[0];
                    for (double category : split.leftCategories()) {
                        forest.categories[nextCategory[0]++] = category;
                    }
                    forest.categoryEnd[slot] = nextCategory[0];
                } else {
                    forest.leaf(slot, (TreeNode.Leaf) node);
                }
            }
        }
        return forest;
    }

    private void leaf(int slot, TreeNode.Leaf leaf) {
        feature[slot] = LEAF;
        prediction[slot] = leaf.prediction();
        double[] stats = leaf.impurityStats();
        if (stats != null && stats.length == 2) {
            // Scala's Array.sum folds from 0.0; a leaf with no weight adds nothing to the votes.
            double total = 0.0 + stats[0] + stats[1];
            negative[slot] = total != 0 ? stats[0] / total : 0.0;
            positive[slot] = total != 0 ? stats[1] / total : 0.0;
        }
    }

    /**
     * The index of the leaf that tree {@code tree} sends {@code x} to. Continuous: left iff
     * {@code x[f] <= threshold}, so NaN goes right, as in Spark.
     */
    int leaf(int tree, double[] x) {
        int n = roots[tree];
        while (true) {
            int f = feature[n];
            if (f >= 0) {
                n = child[n] + (x[f] <= threshold[n] ? 0 : 1);
            } else if (f == LEAF) {
                return n;
            } else {
                n = child[n] + (inLeftCategories(n, x[-2 - f]) ? 0 : 1);
            }
        }
    }

    private boolean inLeftCategories(int node, double value) {
        for (int i = categoryStart[node]; i < categoryEnd[node]; i++) {
            if (categories[i] == value) {
                return true;
            }
        }
        return false;
    }
}
