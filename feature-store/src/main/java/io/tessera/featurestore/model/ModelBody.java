package io.tessera.featurestore.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * The learned parameters. Sealed, and each kind compiles its own {@link Scorer}, so a model kind without
 * a scorer cannot exist: the compiler sees to it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ModelBody.Linear.class, name = "linear"),
    @JsonSubTypes.Type(value = ModelBody.TreeEnsemble.class, name = "tree_ensemble")
})
public sealed interface ModelBody permits ModelBody.Linear, ModelBody.TreeEnsemble {

    /** A scorer for this body, as the artifact's task and algorithm read it. */
    Scorer scorer(ModelArtifact artifact);

    /**
     * Logistic regression (binary classification) or linear regression: Spark's {@code coefficients()}
     * and {@code intercept()}.
     */
    record Linear(double[] coefficients, double intercept) implements ModelBody {
        @Override
        public Scorer scorer(ModelArtifact artifact) {
            return switch (artifact.task()) {
                case BINARY_CLASSIFICATION -> new LogisticScorer(coefficients, intercept);
                case REGRESSION -> new LinearScorer(coefficients, intercept);
            };
        }
    }

    /**
     * Gradient-boosted trees or a random forest: Spark's {@code trees()} (each {@code rootNode()}) and
     * {@code treeWeights()}.
     */
    record TreeEnsemble(List<DecisionTree> trees, double[] treeWeights) implements ModelBody {

        public TreeEnsemble {
            trees = List.copyOf(trees);
        }

        @Override
        public Scorer scorer(ModelArtifact artifact) {
            FlatForest forest = FlatForest.of(this, artifact.features().size());
            return switch (artifact.algorithm()) {
                case GBT -> switch (artifact.task()) {
                    case BINARY_CLASSIFICATION -> new GbtScorer(forest, treeWeights, true);
                    case REGRESSION -> new GbtScorer(forest, treeWeights, false);
                };
                case RANDOM_FOREST -> switch (artifact.task()) {
                    case BINARY_CLASSIFICATION -> new ForestScorer(forest, true);
                    case REGRESSION -> new ForestScorer(forest, false);
                };
                case LOGISTIC_REGRESSION, LINEAR_REGRESSION -> throw new ModelFormatException(
                        artifact.algorithm().specName() + " has a linear body, not trees");
            };
        }
    }
}
