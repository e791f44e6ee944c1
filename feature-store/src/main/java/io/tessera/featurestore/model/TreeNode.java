package io.tessera.featurestore.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A node of a decision tree as Spark MLlib builds it ({@code InternalNode} with a {@code ContinuousSplit}
 * or {@code CategoricalSplit}, or {@code LeafNode}). Children are indexes into the tree's node list and
 * always greater than the parent's, so a tree cannot loop (a pre-order export gives exactly that).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TreeNode.ContinuousSplit.class, name = "split"),
    @JsonSubTypes.Type(value = TreeNode.CategoricalSplit.class, name = "categorical_split"),
    @JsonSubTypes.Type(value = TreeNode.Leaf.class, name = "leaf")
})
public sealed interface TreeNode permits TreeNode.ContinuousSplit, TreeNode.CategoricalSplit, TreeNode.Leaf {

    /** Goes to {@code left} iff {@code features[feature] <= threshold} (NaN goes right), as in Spark. */
    record ContinuousSplit(int feature, double threshold, int left, int right) implements TreeNode {
    }

    /**
     * Goes to {@code left} iff {@code features[feature]} is one of {@code leftCategories}, as in Spark
     * (categories are the indexes 0, 1, 2... that Spark's categorical features hold, as doubles).
     */
    record CategoricalSplit(int feature, double[] leftCategories, int left, int right) implements TreeNode {
    }

    /**
     * @param prediction the tree's output (regression trees, and each tree of a GBT)
     * @param impurityStats for random-forest classification: the class counts (or weights) of the
     *     training rows that reached the leaf, {@code [negatives, positives]}; null otherwise
     */
    record Leaf(double prediction, @JsonInclude(JsonInclude.Include.NON_NULL) double[] impurityStats)
            implements TreeNode {

        public static Leaf of(double prediction) {
            return new Leaf(prediction, null);
        }
    }
}
