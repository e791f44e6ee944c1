package io.tessera.featurestore.model;

import static io.tessera.featurestore.model.Models.artifact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ModelArtifact gbt() {
        return ModelArtifact.of("card_fraud", 3, Task.BINARY_CLASSIFICATION, Algorithm.GBT,
                List.of("txn_count_1h", "amt", "category=grocery_pos"), Map.of("category", List.of("grocery_pos")),
                Models.randomEnsemble(new Random(1), 5, 3, 3, false), Map.of("maxIter", 5, "maxDepth", 3),
                Map.of("auc", 0.91), Map.of("snapshot_id", "8121994521930418093", "cutoff", "2020-06-22T12:00:00Z"));
    }

    @Test
    void roundTripsThroughJsonWithTheSameChecksumAndScores(@TempDir Path dir) {
        ModelArtifact original = gbt();
        Path file = dir.resolve("model.json");

        ModelFormat.write(original, file);
        ModelArtifact loaded = ModelFormat.read(file);

        assertThat(ModelFormat.toJson(loaded)).isEqualTo(ModelFormat.toJson(original));
        assertThat(ModelFormat.checksum(loaded)).isEqualTo(ModelFormat.checksum(original)).startsWith("sha256:");
        assertThat(loaded.features()).isEqualTo(original.features());
        assertThat(loaded.vocabularies()).isEqualTo(original.vocabularies());
        assertThat(loaded.params()).isEqualTo(original.params());
        assertThat(loaded.metrics()).isEqualTo(original.metrics());
        assertThat(loaded.provenance()).isEqualTo(original.provenance());
        Scorer before = Scorer.of(original);
        Scorer after = Scorer.of(loaded);
        Random random = new Random(3);
        for (int i = 0; i < 100; i++) {
            double[] x = Models.randomVector(random, 3);
            assertThat(after.score(x)).isEqualTo(before.score(x));
        }
    }

    @Test
    void theChecksumIsOfTheValuesNotOfTheText() throws Exception {
        String json = ModelFormat.toJson(gbt());
        JsonNode tree = JSON.readTree(json);

        String reordered = JSON.writeValueAsString(reversedKeys(tree)); // compact, every object's keys reversed

        assertThat(reordered).isNotEqualTo(json);
        assertThat(ModelFormat.toJson(ModelFormat.fromJson(reordered))).isEqualTo(json);
    }

    @Test
    void anEditedModelIsRefused() throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(ModelFormat.toJson(gbt()));
        ((ObjectNode) tree.at("/body/trees/0/nodes/0")).put("threshold", 123.0);

        assertThatThrownBy(() -> ModelFormat.fromJson(JSON.writeValueAsString(tree)))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("checksum mismatch: the artifact says sha256:")
                .hasMessageEndingWith("(edited or corrupted)");
    }

    @Test
    void anArtifactWithoutChecksumIsRefused() throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(ModelFormat.toJson(gbt()));
        tree.remove("checksum");

        assertThatThrownBy(() -> ModelFormat.fromJson(JSON.writeValueAsString(tree)))
                .isInstanceOf(ModelFormatException.class).hasMessage("the artifact has no checksum");
    }

    @Test
    void inconsistentModelsCannotBeBuilt() {
        List<TreeNode> loop = List.of(new TreeNode.ContinuousSplit(0, 1.0, 0, 1), TreeNode.Leaf.of(1));
        assertThatThrownBy(() -> artifact(Task.REGRESSION, Algorithm.GBT, 1,
                new ModelBody.TreeEnsemble(List.of(new DecisionTree(loop)), new double[] {1})))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("tree 0 node 0: children must come after their parent and inside the tree, got 0 and 1 of 2 nodes");

        List<TreeNode> wideSplit = List.of(new TreeNode.ContinuousSplit(4, 1.0, 1, 2), TreeNode.Leaf.of(1), TreeNode.Leaf.of(2));
        assertThatThrownBy(() -> artifact(Task.REGRESSION, Algorithm.GBT, 2,
                new ModelBody.TreeEnsemble(List.of(new DecisionTree(wideSplit)), new double[] {1})))
                .isInstanceOf(ModelFormatException.class).hasMessage("tree 0 node 0: splits on feature 4 of 2");

        assertThatThrownBy(() -> artifact(Task.BINARY_CLASSIFICATION, Algorithm.RANDOM_FOREST, 1,
                new ModelBody.TreeEnsemble(List.of(new DecisionTree(List.<TreeNode>of(TreeNode.Leaf.of(1)))), new double[] {1})))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("tree 0 node 0: a random-forest classifier leaf needs impurityStats [negatives, positives], both >= 0");

        assertThatThrownBy(() -> artifact(Task.REGRESSION, Algorithm.LINEAR_REGRESSION, 3,
                new ModelBody.Linear(new double[] {1, 2}, 0)))
                .isInstanceOf(ModelFormatException.class).hasMessage("a linear model over 3 features needs 3 coefficients, got 2");

        assertThatThrownBy(() -> artifact(Task.REGRESSION, Algorithm.GBT, 2, new ModelBody.Linear(new double[] {1, 2}, 0)))
                .isInstanceOf(ModelFormatException.class).hasMessage("gbt needs a tree_ensemble body, not linear");

        assertThatThrownBy(() -> artifact(Task.REGRESSION, Algorithm.LOGISTIC_REGRESSION, 2, new ModelBody.Linear(new double[] {1, 2}, 0)))
                .isInstanceOf(ModelFormatException.class).hasMessage("logistic_regression cannot do regression");
    }

    @Test
    void undefinedMetricsAreLeftOutNotMadeUp() {
        assertThatThrownBy(() -> ModelArtifact.of("m", 1, Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION,
                List.of("a"), Map.of(), new ModelBody.Linear(new double[] {1}, 0), Map.of(), Map.of("auc", Double.NaN), Map.of()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("metric auc is NaN: leave an undefined metric out");
    }

    @Test
    void anotherFormatVersionIsRefused() throws Exception {
        String json = ModelFormat.toJson(gbt()).replace("tessera-model/1", "tessera-model/2");

        assertThatThrownBy(() -> ModelFormat.fromJson(json)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("checksum mismatch");
    }

    @Test
    void aLayoutThatDiffersFromTheTrainingFeaturesIsNamed() {
        assertThatThrownBy(() -> gbt().requireFeatures(List.of("txn_count_1h", "amt_sum_1h", "category=grocery_pos")))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("model card_fraud v3 was trained on other features: column 1 is 'amt' in the model and 'amt_sum_1h' in the layout");
    }

    @Test
    void theFileIsReadableJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.json");
        ModelFormat.write(gbt(), file);
        JsonNode tree = JSON.readTree(Files.readString(file));

        assertThat(tree.get("format").asText()).isEqualTo("tessera-model/1");
        assertThat(tree.get("task").asText()).isEqualTo("binary_classification");
        assertThat(tree.get("algorithm").asText()).isEqualTo("gbt");
        assertThat(tree.at("/body/type").asText()).isEqualTo("tree_ensemble");
        assertThat(tree.at("/body/trees/0/nodes/0/type").asText()).isIn("split", "categorical_split", "leaf");
        assertThat(tree.get("checksum").asText()).matches("sha256:[0-9a-f]{64}");
    }

    private static JsonNode reversedKeys(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            Collections.reverse(names);
            ObjectNode copy = JSON.createObjectNode();
            names.forEach(n -> copy.set(n, reversedKeys(node.get(n))));
            return copy;
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(reversedKeys(item)));
            return copy;
        }
        return node;
    }
}
