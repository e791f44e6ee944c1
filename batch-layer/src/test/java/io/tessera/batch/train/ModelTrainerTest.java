package io.tessera.batch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Task;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class ModelTrainerTest extends TrainingTestBase {

    @Test
    void holdsOutTheLatestFractionOfEventTimeNotOfRows() {
        // 900 rows in the first 90 minutes, then one a minute until minute 189; "hour" carries the minute
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            long seconds = i < 900 ? 6L * i : 60L * (i - 810);
            double label = (i % 7 == 0 || i % 5 == 0) ? 1 : 0;
            rows.add(RowFactory.create(new double[] {label + (i % 3), i % 4, seconds / 60.0, i % 2}, label,
                    Timestamp.from(START.plusSeconds(seconds))));
        }
        ModelTrainer trainer = new ModelTrainer(spec(Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION,
                Map.of("maxIter", 20)), FEATURES);

        TrainedModel trained = trainer.train(spark().createDataFrame(rows, SCHEMA));

        // split at 0.8 × 189 min = 151.2 min: minutes 152..189 are held out, 38 rows (by rows it would be 200)
        TimeSplit split = trained.split();
        assertThat(split.earliest()).isEqualTo(START);
        assertThat(split.latest()).isEqualTo(START.plus(Duration.ofMinutes(189)));
        assertThat(split.holdoutFrom()).isEqualTo(START.plus(Duration.ofSeconds(9072)));
        assertThat(split.trainingRows()).isEqualTo(962);
        assertThat(split.holdoutRows()).isEqualTo(38);
        assertThat(trained.holdout().size()).isEqualTo(38);
        assertThat(trained.holdout().sampled()).isFalse();
        assertThat(Arrays.stream(trained.holdout().features()).mapToDouble(x -> x[2]).min().orElseThrow())
                .isEqualTo(152.0);
        assertThat(trained.evaluation().metrics()).containsEntry(Evaluation.ROWS, 38.0);
    }

    @Test
    void appliesTheSpecsParametersAndRecordsEveryOneSparkUsed() {
        ModelTrainer trainer = new ModelTrainer(spec(Task.REGRESSION, Algorithm.GBT,
                Map.of("maxIter", 7, "maxDepth", 2, "stepSize", 1)), FEATURES);

        TrainedModel trained = trainer.train(regressionSet(800, 2));

        GBTRegressionModel model = (GBTRegressionModel) trained.sparkModel();
        assertThat(model.getNumTrees()).isEqualTo(7);
        assertThat(model.getMaxDepth()).isEqualTo(2);
        assertThat(trained.params()).containsEntry("maxIter", 7).containsEntry("maxDepth", 2)
                .containsEntry("stepSize", 1.0).containsEntry("seed", MllibLearner.DEFAULT_SEED)
                .containsEntry("lossType", "squared").containsEntry("subsamplingRate", 1.0);
        assertThat(trained.importances().method()).isEqualTo(FeatureImportances.TREE_GAIN);
        assertThat(trained.importances().byFeature().keySet()).containsExactlyElementsOf(FEATURES);
        assertThat(trained.importances().byFeature().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(trained.baselinePrediction()).isBetween(5.0, 9.0);
    }

    @Test
    void aHoldoutWithoutPositivesLeavesAucOutWithItsReasonAndTheGateFallsBackToLogLoss() {
        ModelTrainer trainer = new ModelTrainer(spec(Task.BINARY_CLASSIFICATION, Algorithm.RANDOM_FOREST,
                smallParams(Algorithm.RANDOM_FOREST)), FEATURES);

        TrainedModel trained = trainer.train(classificationSet(1_500, 9, 0.8));

        Evaluation evaluation = trained.evaluation();
        assertThat(evaluation.metrics()).doesNotContainKeys("auc", Evaluation.RECALL)
                .containsKey("logloss").containsEntry(Evaluation.POSITIVES, 0.0);
        assertThat(evaluation.undefined()).containsEntry("auc",
                "no positive labels among the " + trained.holdout().size() + " holdout rows");
        ModelArtifact artifact = PortableExport.export(trained, "cards", 1, Map.of(), Map.of());
        assertThat(artifact.metrics()).doesNotContainKey("auc");
        assertThat(artifact.provenance()).containsEntry("undefined_metric.auc", evaluation.undefined().get("auc"));

        PromotionDecision decision = new PromotionGate(trained.spec())
                .decide(evaluation, trained.baseline(), Optional.empty());
        assertThat(decision.metricUsed()).isEqualTo("logloss");
        assertThat(decision.reason()).contains("auc is undefined");
        assertThat(decision.championValue()).isEqualTo(trained.baseline().metrics().get("logloss"));
    }

    @Test
    void aLargeHoldoutIsSampledToTheLimitAndSaysSo() {
        ModelTrainer trainer = new ModelTrainer(spec(Task.REGRESSION, Algorithm.LINEAR_REGRESSION, Map.of()), FEATURES, 150);

        TrainedModel trained = trainer.train(regressionSet(2_000, 4));

        assertThat(trained.holdout().size()).isBetween(100, 150);
        assertThat(trained.holdout().totalRows()).isEqualTo(400);
        assertThat(trained.holdout().sampled()).isTrue();
    }

    @Test
    void refusesTrainingSetsItCannotLearnFromHonestly() {
        ModelTrainer classifier = new ModelTrainer(spec(Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION,
                Map.of()), FEATURES);
        Dataset<Row> good = classificationSet(200, 1);

        assertThatThrownBy(() -> classifier.train(good.withColumn(ModelTrainer.LABEL,
                good.col(ModelTrainer.LABEL).multiply(2))))
                .isInstanceOf(TrainingSetException.class).hasMessageContaining("not 0 or 1");
        assertThatThrownBy(() -> classifier.train(good.withColumn(ModelTrainer.FEATURES,
                org.apache.spark.sql.functions.slice(good.col(ModelTrainer.FEATURES), 1, 3))))
                .isInstanceOf(TrainingSetException.class).hasMessageContaining("do not have 4 features");
        assertThatThrownBy(() -> classifier.train(good.withColumn(ModelTrainer.LABEL,
                org.apache.spark.sql.functions.lit(1.0))))
                .isInstanceOf(TrainingSetException.class).hasMessageContaining("are all labelled 1.0");
        assertThatThrownBy(() -> classifier.train(good.withColumn(ModelTrainer.EVENT_TIME,
                org.apache.spark.sql.functions.lit(Timestamp.from(START)))))
                .isInstanceOf(TrainingSetException.class).hasMessageContaining("0 training rows");
        assertThatThrownBy(() -> classifier.train(good.drop(ModelTrainer.EVENT_TIME)))
                .isInstanceOf(TrainingSetException.class).hasMessageContaining("'event_time' of type timestamp");
    }
}
