package io.tessera.bench;

import io.tessera.featurestore.model.DecisionTree;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelBody;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.model.TreeNode;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Seeded models of the shape the batch layer exports, for benchmarking: full trees (every path as deep
 * as the tree, the worst case), thresholds around the middle of standard-normal features so both
 * branches are taken. Each model goes through the JSON artifact format, as it would in production.
 */
final class SyntheticModels {

    private SyntheticModels() {
    }

    static ModelArtifact treeEnsemble(Algorithm algorithm, int trees, int depth, int features, long seed) {
        return treeEnsemble(algorithm, trees, depth, names(features), seed);
    }

    /** The same over named features (a layout's names, so the artifact fits that layout). */
    static ModelArtifact treeEnsemble(Algorithm algorithm, int trees, int depth, List<String> featureNames, long seed) {
        int features = featureNames.size();
        Random random = new Random(seed);
        boolean forest = algorithm == Algorithm.RANDOM_FOREST;
        List<DecisionTree> list = new ArrayList<>();
        double[] weights = new double[trees];
        for (int t = 0; t < trees; t++) {
            List<TreeNode> nodes = new ArrayList<>();
            grow(nodes, random, depth, features, forest);
            list.add(new DecisionTree(nodes));
            weights[t] = forest || t == 0 ? 1.0 : 0.1;
        }
        return roundTrip(ModelArtifact.of("bench_" + algorithm.specName(), 1, Task.BINARY_CLASSIFICATION, algorithm,
                featureNames, Map.of(), new ModelBody.TreeEnsemble(list, weights), Map.of(), Map.of(), Map.of()));
    }

    static ModelArtifact logistic(int features, long seed) {
        Random random = new Random(seed);
        double[] coefficients = random.doubles(features, -1, 1).toArray();
        return roundTrip(ModelArtifact.of("bench_lr", 1, Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION,
                names(features), Map.of(), new ModelBody.Linear(coefficients, 0.1), Map.of(), Map.of(), Map.of()));
    }

    static double[][] vectors(int count, int features, long seed) {
        Random random = new Random(seed);
        double[][] vectors = new double[count][features];
        for (double[] v : vectors) {
            for (int i = 0; i < features; i++) {
                v[i] = random.nextGaussian();
            }
        }
        return vectors;
    }

    private static int grow(List<TreeNode> nodes, Random random, int depth, int features, boolean classCounts) {
        int self = nodes.size();
        if (depth == 0) {
            double[] stats = classCounts ? new double[] {1 + random.nextInt(100), random.nextInt(20)} : null;
            nodes.add(new TreeNode.Leaf(random.nextGaussian() * 0.5, stats));
            return self;
        }
        nodes.add(null);
        int left = grow(nodes, random, depth - 1, features, classCounts);
        int right = grow(nodes, random, depth - 1, features, classCounts);
        nodes.set(self, new TreeNode.ContinuousSplit(random.nextInt(features), random.nextGaussian() * 0.5, left, right));
        return self;
    }

    private static List<String> names(int features) {
        return IntStream.range(0, features).mapToObj(i -> "f" + i).toList();
    }

    private static ModelArtifact roundTrip(ModelArtifact artifact) {
        return ModelFormat.fromJson(ModelFormat.toJson(artifact));
    }
}
