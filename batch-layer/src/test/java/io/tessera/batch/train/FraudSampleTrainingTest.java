package io.tessera.batch.train;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.batch.BatchTestData;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Task;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The real fraud sample (examples/card_fraud/README.md): its 18 frauds all fall in the first 80% of event time,
 * so the time-based holdout has none. Per-transaction features stand in for the feature layout here;
 * what is under test is how training, export and the gate behave on that holdout.
 */
class FraudSampleTrainingTest extends TrainingTestBase {

    private static final List<String> COLUMNS = List.of("log_amt", "hour", "log_city_pop", "shopping_net", "grocery_pos");

    @Test
    void onTheRealSampleAucIsUndefinedAndTheGateSaysItComparedLogLoss() {
        Dataset<Row> transactions = spark().read().option("header", "true").option("inferSchema", "true")
                .option("quote", "\"").option("escape", "\"")
                .csv(BatchTestData.exampleDir().resolve("transactions.csv").toString());
        Dataset<Row> trainingSet = transactions.select(
                array(log1p(col("amt")), hour(timestamp_seconds(col("unix_time"))).cast("double"),
                        log1p(col("city_pop")),
                        when(col("category").equalTo("shopping_net"), 1.0).otherwise(0.0),
                        when(col("category").equalTo("grocery_pos"), 1.0).otherwise(0.0)).as(ModelTrainer.FEATURES),
                col("is_fraud").as(ModelTrainer.LABEL),
                timestamp_seconds(col("unix_time")).as(ModelTrainer.EVENT_TIME));

        TrainedModel trained = new ModelTrainer(spec(Task.BINARY_CLASSIFICATION, Algorithm.GBT,
                Map.of("maxIter", 20, "maxDepth", 3)), COLUMNS).train(trainingSet);
        ModelArtifact artifact = ModelFormat.fromJson(ModelFormat.toJson(PortableExport.export(trained,
                "card_fraud", 1, Map.of(), Map.of("source", "examples/card_fraud/transactions.csv"))));
        PromotionDecision decision = new PromotionGate(trained.spec())
                .decide(trained.evaluation(), trained.baseline(), Optional.empty());

        assertThat(trained.split().trainingRows() + trained.split().holdoutRows()).isEqualTo(transactions.count());
        assertThat(trained.evaluation().metrics()).containsEntry(Evaluation.POSITIVES, 0.0).doesNotContainKey("auc");
        assertThat(trained.evaluation().undefined()).containsEntry("auc",
                "no positive labels among the " + trained.split().holdoutRows() + " holdout rows");
        assertThat(artifact.metrics()).containsKey("logloss").doesNotContainKey("auc");
        assertThat(ExportCheck.verify(artifact, trained.holdout()).maxDifference()).isLessThanOrEqualTo(ExportCheck.TOLERANCE);
        assertThat(decision.metricUsed()).isEqualTo("logloss");
        assertThat(decision.reason()).startsWith("Compared on log loss because auc is undefined for the candidate");
        assertThat(decision.championValue()).isEqualTo(trained.baseline().metrics().get("logloss"));
    }
}
