package io.tessera.featurestore.model;

import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Task;
import java.util.List;

/** The consistency rules of a model body, so that a scorer never meets a malformed model. */
final class ModelChecks {

    private ModelChecks() {
    }

    static void check(ModelBody body, Algorithm algorithm, Task task, int featureCount) {
        boolean linearAlgorithm = algorithm == Algorithm.LOGISTIC_REGRESSION || algorithm == Algorithm.LINEAR_REGRESSION;
        if (body instanceof ModelBody.Linear linear) {
            if (!linearAlgorithm) {
                throw new ModelFormatException(algorithm.specName() + " needs a tree_ensemble body, not linear");
            }
            if (linear.coefficients() == null || linear.coefficients().length != featureCount) {
                throw new ModelFormatException("a linear model over " + featureCount + " features needs "
                        + featureCount + " coefficients, got " + (linear.coefficients() == null ? 0 : linear.coefficients().length));
            }
            for (double c : linear.coefficients()) {
                finite(c, "coefficient");
            }
            finite(linear.intercept(), "intercept");
            return;
        }
        ModelBody.TreeEnsemble ensemble = (ModelBody.TreeEnsemble) body;
        if (linearAlgorithm) {
            throw new ModelFormatException(algorithm.specName() + " needs a linear body, not tree_ensemble");
        }
        if (ensemble.trees().isEmpty()) {
            throw new ModelFormatException("a tree ensemble needs at least one tree");
        }
        if (ensemble.treeWeights() == null || ensemble.treeWeights().length != ensemble.trees().size()) {
            throw new ModelFormatException("a tree ensemble needs one weight per tree");
        }
        for (double w : ensemble.treeWeights()) {
            finite(w, "tree weight");
        }
        boolean needsClassCounts = algorithm == Algorithm.RANDOM_FOREST && task == Task.BINARY_CLASSIFICATION;
        for (int t = 0; t < ensemble.trees().size(); t++) {
            checkTree(ensemble.trees().get(t).nodes(), "tree " + t, featureCount, needsClassCounts);
        }
    }

    private static void checkTree(List<TreeNode> nodes, String where, int featureCount, boolean needsClassCounts) {
        if (nodes.isEmpty()) {
            throw new ModelFormatException(where + " has no nodes");
        }
        for (int i = 0; i < nodes.size(); i++) {
            String node = where + " node " + i;
            TreeNode n = nodes.get(i);
            if (n instanceof TreeNode.ContinuousSplit split) {
                children(split.left(), split.right(), i, nodes.size(), node);
                feature(split.feature(), featureCount, node);
                if (Double.isNaN(split.threshold())) {
                    throw new ModelFormatException(node + ": threshold is NaN");
                }
            } else if (n instanceof TreeNode.CategoricalSplit split) {
                children(split.left(), split.right(), i, nodes.size(), node);
                feature(split.feature(), featureCount, node);
                if (split.leftCategories() == null) {
                    throw new ModelFormatException(node + ": categorical split without leftCategories");
                }
            } else {
                TreeNode.Leaf leaf = (TreeNode.Leaf) n;
                finite(leaf.prediction(), node + " prediction");
                if (needsClassCounts) {
                    double[] stats = leaf.impurityStats();
                    if (stats == null || stats.length != 2 || !(stats[0] >= 0) || !(stats[1] >= 0)) {
                        throw new ModelFormatException(node + ": a random-forest classifier leaf needs impurityStats"
                                + " [negatives, positives], both >= 0");
                    }
                }
            }
        }
    }

    private static void children(int left, int right, int self, int size, String node) {
        if (left <= self || right <= self || left >= size || right >= size) {
            throw new ModelFormatException(node + ": children must come after their parent and inside the tree, got "
                    + left + " and " + right + " of " + size + " nodes");
        }
    }

    private static void feature(int feature, int featureCount, String node) {
        if (feature < 0 || feature >= featureCount) {
            throw new ModelFormatException(node + ": splits on feature " + feature + " of " + featureCount);
        }
    }

    private static void finite(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new ModelFormatException(what + " is not finite: " + value);
        }
    }
}
