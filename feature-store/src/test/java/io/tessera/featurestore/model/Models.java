package io.tessera.featurestore.model;

import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/** Test fixture: models built by hand or at random, the way the batch layer's export would build them. */
final class Models {

    private Models() {
    }

    static List<String> features(int n) {
        return IntStream.range(0, n).mapToObj(i -> "f" + i).toList();
    }

    static ModelArtifact artifact(Task task, Algorithm algorithm, int features, ModelBody body) {
        return ModelArtifact.of("test_model", 1, task, algorithm, features(features), Map.of(), body,
                Map.of("maxIter", 3), Map.of(), Map.of("snapshot_id", "42"));
    }

    /** A random full tree of the given depth; random continuous and categorical splits. */
    static DecisionTree randomTree(Random random, int depth, int features, boolean classCounts) {
        List<TreeNode> nodes = new ArrayList<>();
        grow(nodes, random, depth, features, classCounts);
        return new DecisionTree(nodes);
    }

    private static int grow(List<TreeNode> nodes, Random random, int depth, int features, boolean classCounts) {
        int self = nodes.size();
        if (depth == 0 || random.nextInt(8) == 0) {
            double[] stats = classCounts ? new double[] {random.nextInt(50), random.nextInt(50)} : null;
            nodes.add(new TreeNode.Leaf(random.nextGaussian(), stats));
            return self;
        }
        nodes.add(null); // placeholder: children come after their parent
        int left = grow(nodes, random, depth - 1, features, classCounts);
        int right = grow(nodes, random, depth - 1, features, classCounts);
        int feature = random.nextInt(features);
        if (random.nextInt(4) == 0) {
            nodes.set(self, new TreeNode.CategoricalSplit(feature, new double[] {random.nextInt(4), random.nextInt(4)}, left, right));
        } else {
            nodes.set(self, new TreeNode.ContinuousSplit(feature, Math.round(random.nextGaussian() * 4) / 4.0, left, right));
        }
        return self;
    }

    static ModelBody.TreeEnsemble randomEnsemble(Random random, int trees, int depth, int features, boolean classCounts) {
        List<DecisionTree> list = new ArrayList<>();
        double[] weights = new double[trees];
        for (int t = 0; t < trees; t++) {
            list.add(randomTree(random, depth, features, classCounts));
            weights[t] = t == 0 ? 1.0 : 0.1;
        }
        return new ModelBody.TreeEnsemble(list, weights);
    }

    /** Vectors whose values often sit exactly on thresholds and on category indexes. */
    static double[] randomVector(Random random, int features) {
        double[] x = new double[features];
        for (int i = 0; i < features; i++) {
            x[i] = switch (random.nextInt(3)) {
                case 0 -> Math.round(random.nextGaussian() * 4) / 4.0;
                case 1 -> random.nextInt(4);
                default -> random.nextGaussian() * 3;
            };
        }
        return x;
    }
}
