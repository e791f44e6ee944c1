package io.tessera.batch.train;

import io.tessera.featurestore.model.DecisionTree;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelBody;
import io.tessera.featurestore.model.TreeNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.ml.tree.CategoricalSplit;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.DecisionTreeModel;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.LeafNode;
import org.apache.spark.ml.tree.Node;
import org.apache.spark.ml.tree.Split;

/**
 * Turns a fitted Spark MLlib model into the feature-store's portable {@link ModelArtifact}, read from
 * the models' public API only ({@code coefficients()}, {@code intercept()}, {@code trees()},
 * {@code rootNode()}, {@code treeWeights()}), so the speed and serving layers score without Spark.
 * {@link ExportCheck} proves the result scores like Spark before anything is published.
 *
 * <p>Trees are written in pre-order (a node, its left subtree, its right subtree), so children always
 * come after their parent. Random-forest classifiers need each leaf's class distribution, because Spark
 * votes with it rather than with the leaf's prediction: it is taken from {@code LeafNode.impurityStats()
 * .stats()}, the very array Spark's {@code predictRaw} reads ({@code private[ml]} in Scala, a public
 * method in bytecode). A categorical split is exported with Spark's {@code leftCategories()}; for values
 * outside {@code [0, numCategories)}, which a valid vector never holds, Spark's side of the split can
 * differ.
 */
public final class PortableExport {

    private PortableExport() {
    }

    /**
     * The artifact for a trained model: its body, the spec's task and algorithm, the training parameters,
     * the holdout metrics, and as provenance the caller's entries (snapshot id, cutoff...) plus what the
     * training run knows: {@code training_rows}, {@code holdout_rows}, {@code holdout_evaluated_rows},
     * {@code event_time_min}, {@code event_time_max}, {@code holdout_from}, {@code holdout_fraction}
     * and {@code undefined_metric.<name>} with the reason for each undefined metric.
     *
     * @param vocabularies one_hot feature name to the categories learned for this training set
     * @throws IllegalArgumentException if {@code provenance} uses one of the keys above, or the model is
     *     of a kind not covered
     * @throws io.tessera.featurestore.model.ModelFormatException if the result is inconsistent
     */
    public static ModelArtifact export(TrainedModel trained, String name, long version,
                                       Map<String, List<String>> vocabularies, Map<String, String> provenance) {
        Map<String, String> facts = new LinkedHashMap<>();
        TimeSplit split = trained.split();
        facts.put("training_rows", Long.toString(split.trainingRows()));
        facts.put("holdout_rows", Long.toString(split.holdoutRows()));
        facts.put("holdout_evaluated_rows", Integer.toString(trained.holdout().size()));
        facts.put("event_time_min", split.earliest().toString());
        facts.put("event_time_max", split.latest().toString());
        facts.put("holdout_from", split.holdoutFrom().toString());
        facts.put("holdout_fraction", Double.toString(split.holdoutFraction()));
        trained.evaluation().undefined().forEach((metric, reason) -> facts.put("undefined_metric." + metric, reason));
        Map<String, String> all = new LinkedHashMap<>(provenance);
        facts.forEach((key, value) -> {
            if (all.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("provenance key '" + key + "' is written by the export itself");
            }
        });
        return ModelArtifact.of(name, version, trained.task(), trained.algorithm(), trained.featureNames(), vocabularies,
                body(trained.sparkModel()), trained.params(), trained.evaluation().metrics(), all);
    }

    /**
     * The learned parameters of one of: {@code LogisticRegressionModel} (binomial),
     * {@code LinearRegressionModel}, {@code GBTClassificationModel}, {@code GBTRegressionModel},
     * {@code RandomForestClassificationModel} (two classes), {@code RandomForestRegressionModel}.
     *
     * @throws IllegalArgumentException for any other model
     */
    public static ModelBody body(PredictionModel<Vector, ?> model) {
        if (model instanceof LogisticRegressionModel lr) {
            if (lr.numClasses() != 2) {
                throw new IllegalArgumentException("only binary logistic regression exports, this one has "
                        + lr.numClasses() + " classes");
            }
            return new ModelBody.Linear(lr.coefficients().toArray(), lr.intercept());
        }
        if (model instanceof LinearRegressionModel linear) {
            return new ModelBody.Linear(linear.coefficients().toArray(), linear.intercept());
        }
        if (model instanceof GBTClassificationModel gbt) {
            return ensemble(gbt.trees(), gbt.treeWeights(), false);
        }
        if (model instanceof GBTRegressionModel gbt) {
            return ensemble(gbt.trees(), gbt.treeWeights(), false);
        }
        if (model instanceof RandomForestClassificationModel forest) {
            if (forest.numClasses() != 2) {
                throw new IllegalArgumentException("only binary random forests export, this one has "
                        + forest.numClasses() + " classes");
            }
            return ensemble(forest.trees(), forest.treeWeights(), true);
        }
        if (model instanceof RandomForestRegressionModel forest) {
            return ensemble(forest.trees(), forest.treeWeights(), false);
        }
        throw new IllegalArgumentException("no portable export for " + model.getClass().getName());
    }

    private static ModelBody.TreeEnsemble ensemble(DecisionTreeModel[] trees, double[] weights, boolean classCounts) {
        List<DecisionTree> exported = new ArrayList<>(trees.length);
        for (DecisionTreeModel tree : trees) {
            List<TreeNode> nodes = new ArrayList<>(tree.numNodes());
            add(tree.rootNode(), nodes, classCounts);
            exported.add(new DecisionTree(nodes));
        }
        return new ModelBody.TreeEnsemble(exported, weights.clone());
    }

    /** Appends {@code node}'s subtree in pre-order and returns the node's index. Depth is at most 30 in Spark. */
    private static int add(Node node, List<TreeNode> nodes, boolean classCounts) {
        int index = nodes.size();
        if (node instanceof LeafNode leaf) {
            nodes.add(classCounts
                    ? new TreeNode.Leaf(leaf.prediction(), leaf.impurityStats().stats().clone())
                    : TreeNode.Leaf.of(leaf.prediction()));
            return index;
        }
        InternalNode internal = (InternalNode) node;
        nodes.add(null); // this node's slot; it needs its children's indexes
        int left = add(internal.leftChild(), nodes, classCounts);
        int right = add(internal.rightChild(), nodes, classCounts);
        Split split = internal.split();
        if (split instanceof ContinuousSplit continuous) {
            nodes.set(index, new TreeNode.ContinuousSplit(continuous.featureIndex(), continuous.threshold(), left, right));
        } else if (split instanceof CategoricalSplit categorical) {
            nodes.set(index, new TreeNode.CategoricalSplit(categorical.featureIndex(),
                    categorical.leftCategories().clone(), left, right));
        } else {
            throw new IllegalArgumentException("unknown split " + split.getClass().getName());
        }
        return index;
    }
}
