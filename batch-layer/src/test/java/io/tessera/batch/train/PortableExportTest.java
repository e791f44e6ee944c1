package io.tessera.batch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.col;

import io.tessera.featurestore.model.DecisionTree;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelBody;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.model.TreeNode;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Metric;
import io.tessera.featurestore.spec.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.attribute.NumericAttribute;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every algorithm × task the platform supports: Spark model → portable JSON → plain-Java scores equal Spark's. */
class PortableExportTest extends TrainingTestBase {

    private static final String VECTOR = "vector";

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION),
                Arguments.of(Task.BINARY_CLASSIFICATION, Algorithm.GBT),
                Arguments.of(Task.BINARY_CLASSIFICATION, Algorithm.RANDOM_FOREST),
                Arguments.of(Task.REGRESSION, Algorithm.LINEAR_REGRESSION),
                Arguments.of(Task.REGRESSION, Algorithm.GBT),
                Arguments.of(Task.REGRESSION, Algorithm.RANDOM_FOREST));
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("models")
    void theExportScoresTheHoldoutAsSparkDoesAfterAJsonRoundTrip(Task task, Algorithm algorithm) {
        TrainedModel trained = new ModelTrainer(spec(task, algorithm, smallParams(algorithm)), FEATURES)
                .train(task == Task.REGRESSION ? regressionSet(2_000, 7) : classificationSet(2_000, 7));

        ModelArtifact exported = PortableExport.export(trained, "cards", 3, Map.of(),
                Map.of("snapshot_id", "8842", "cutoff", "2024-03-02T09:00:00Z"));
        String json = ModelFormat.toJson(exported);
        ModelArtifact loaded = ModelFormat.fromJson(json);
        ExportAgreement agreement = ExportCheck.verify(loaded, trained.holdout());

        assertThat(ModelFormat.checksum(loaded)).isEqualTo(ModelFormat.checksum(exported));
        assertThat(agreement.rows()).isEqualTo(trained.holdout().size()).isGreaterThan(300);
        assertThat(agreement.maxDifference()).isLessThanOrEqualTo(ExportCheck.TOLERANCE);
        // the model learned the signal, so the comparison is between non-trivial scores
        Metric metric = Metric.defaultFor(task);
        double model = trained.evaluation().value(metric).getAsDouble();
        double baseline = trained.baseline().value(metric).getAsDouble();
        assertThat(metric.higherIsBetter() ? model - baseline : baseline - model).isGreaterThan(0.1);
        assertThat(loaded.params()).containsKeys(smallParams(algorithm).keySet().toArray(String[]::new));
        assertThat(loaded.metrics()).containsKey(metric.specName());
        assertThat(loaded.provenance()).containsEntry("snapshot_id", "8842")
                .containsEntry("training_rows", Long.toString(trained.split().trainingRows()));
    }

    @Test
    void aNudgedThresholdFailsTheCheckNamingTheWorstRow() {
        TrainedModel trained = new ModelTrainer(spec(Task.BINARY_CLASSIFICATION, Algorithm.GBT,
                smallParams(Algorithm.GBT)), FEATURES).train(classificationSet(2_000, 11));
        ModelArtifact good = PortableExport.export(trained, "cards", 1, Map.of(), Map.of());
        ExportCheck.verify(good, trained.holdout());

        // Move the first tree's root threshold up to the smallest holdout value that went right, so that
        // row (at least) now goes left: an export that is off by one split.
        ModelBody.TreeEnsemble body = (ModelBody.TreeEnsemble) good.body();
        List<TreeNode> nodes = new ArrayList<>(body.trees().get(0).nodes());
        TreeNode.ContinuousSplit root = (TreeNode.ContinuousSplit) nodes.get(0);
        double nudged = java.util.Arrays.stream(trained.holdout().features()).mapToDouble(x -> x[root.feature()])
                .filter(v -> v > root.threshold()).min().orElseThrow();
        nodes.set(0, new TreeNode.ContinuousSplit(root.feature(), nudged, root.left(), root.right()));
        List<DecisionTree> trees = new ArrayList<>(body.trees());
        trees.set(0, new DecisionTree(nodes));
        ModelArtifact tampered = ModelArtifact.of(good.name(), good.version(), good.task(), good.algorithm(),
                good.features(), good.vocabularies(), new ModelBody.TreeEnsemble(trees, body.treeWeights()),
                good.params(), good.metrics(), good.provenance());

        assertThatThrownBy(() -> ExportCheck.verify(tampered, trained.holdout()))
                .isInstanceOfSatisfying(ExportMismatchException.class, e -> {
                    assertThat(e.difference()).isGreaterThan(1e-6);
                    assertThat(e.features()[root.feature()]).isEqualTo(nudged);
                    assertThat(e.sparkScore()).isEqualTo(trained.holdout().sparkScores()[e.row()]);
                    assertThat(e.mismatchedRows()).isGreaterThanOrEqualTo(1);
                })
                .hasMessageContaining("worst is row");
    }

    @Test
    void aModelFromAnotherLayoutIsRefused() {
        TrainedModel trained = new ModelTrainer(spec(Task.REGRESSION, Algorithm.LINEAR_REGRESSION,
                smallParams(Algorithm.LINEAR_REGRESSION)), FEATURES).train(regressionSet(1_000, 3));
        ModelArtifact exported = PortableExport.export(trained, "spend", 1, Map.of(), Map.of());
        ScoredHoldout reordered = new ScoredHoldout(List.of("velocity_z", "amt_z", "hour", "foreign"),
                trained.holdout().features(), trained.holdout().labels(), trained.holdout().sparkScores(),
                trained.holdout().totalRows());

        assertThatThrownBy(() -> ExportCheck.verify(exported, reordered))
                .hasMessageContaining("was trained on other features");
    }

    @Test
    void categoricalSplitsAndForestLeafDistributionsExportExactly() {
        // A forest over a vector whose second slot Spark knows as a category (0..3): its trees split on
        // category sets, which only a vector with nominal metadata produces.
        AttributeGroup layout = new AttributeGroup(VECTOR, new Attribute[] {
            NumericAttribute.defaultAttr().withName("amt_z"),
            NominalAttribute.defaultAttr().withName("merchant_kind").withNumValues(4)});
        Random random = new Random(5);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            double amt = random.nextGaussian();
            double kind = random.nextInt(4);
            double logit = -1 + amt + (kind == 1 || kind == 3 ? 2.0 : -0.5);
            double label = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
            rows.add(RowFactory.create(new double[] {amt, kind}, label, java.sql.Timestamp.from(START)));
        }
        Dataset<Row> data = spark().createDataFrame(rows, SCHEMA)
                .withColumn(VECTOR, functions.array_to_vector(col(ModelTrainer.FEATURES)).as(VECTOR, layout.toMetadata()));
        RandomForestClassificationModel forest = new RandomForestClassifier().setNumTrees(10).setMaxDepth(4).setSeed(3)
                .setFeaturesCol(VECTOR).setLabelCol(ModelTrainer.LABEL).fit(data);

        ModelBody body = PortableExport.body(forest);
        ModelArtifact artifact = ModelFormat.fromJson(ModelFormat.toJson(ModelArtifact.of("kinds", 1,
                Task.BINARY_CLASSIFICATION, Algorithm.RANDOM_FOREST, List.of("amt_z", "merchant_kind"), Map.of(), body,
                Map.of(), Map.of(), Map.of())));
        List<Row> scored = forest.transform(data).select(col(VECTOR),
                functions.vector_to_array(col("probability"), "float64").getItem(1)).collectAsList();
        double[][] features = scored.stream().map(r -> ((Vector) r.get(0)).toArray()).toArray(double[][]::new);
        double[] spark = scored.stream().mapToDouble(r -> r.getDouble(1)).toArray();
        ScoredHoldout holdout = new ScoredHoldout(artifact.features(), features, new double[spark.length], spark, spark.length);

        assertThat(((ModelBody.TreeEnsemble) artifact.body()).trees().stream().flatMap(t -> t.nodes().stream()))
                .anyMatch(n -> n instanceof TreeNode.CategoricalSplit);
        assertThat(ExportCheck.verify(artifact, holdout).maxDifference()).isLessThanOrEqualTo(ExportCheck.TOLERANCE);
    }
}
