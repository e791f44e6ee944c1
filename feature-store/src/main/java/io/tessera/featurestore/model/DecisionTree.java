package io.tessera.featurestore.model;

import java.util.List;

/** One tree: its nodes, the root first. */
public record DecisionTree(List<TreeNode> nodes) {

    public DecisionTree {
        nodes = List.copyOf(nodes);
    }
}
