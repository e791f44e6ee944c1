package io.tessera.batch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tessera.featurestore.spec.Task;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HoldoutEvaluatorTest {

    @Test
    void aucIsTheShareOfPositiveNegativePairsRankedRightWithTiesCountingHalf() {
        Random random = new Random(1);
        for (int round = 0; round < 50; round++) {
            int n = 2 + random.nextInt(60);
            double[] labels = new double[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = random.nextBoolean() ? 1 : 0;
                scores[i] = random.nextInt(8) / 8.0; // few distinct values: many ties
            }
            int positives = (int) java.util.Arrays.stream(labels).sum();
            if (positives == 0 || positives == n) {
                continue;
            }
            double pairs = 0;
            double right = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (labels[i] == 1 && labels[j] == 0) {
                        pairs++;
                        right += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
                }
            }
            Evaluation evaluation = HoldoutEvaluator.evaluate(Task.BINARY_CLASSIFICATION, labels, scores);
            assertThat(evaluation.metrics().get("auc")).isEqualTo(right / pairs);
        }
    }

    @Test
    void withoutPositivesAucAndRecallAreUndefinedAndSaySoWhileLogLossIsDefined() {
        double[] labels = {0, 0, 0, 0};
        double[] scores = {0.1, 0.7, 0.2, 0.4};

        Evaluation evaluation = HoldoutEvaluator.evaluate(Task.BINARY_CLASSIFICATION, labels, scores);

        assertThat(evaluation.metrics()).doesNotContainKeys("auc", Evaluation.RECALL);
        assertThat(evaluation.undefined()).containsEntry("auc", "no positive labels among the 4 holdout rows")
                .containsKey(Evaluation.RECALL);
        // one row flagged, and it was a false alarm: precision is 0, not undefined
        assertThat(evaluation.metrics()).containsEntry(Evaluation.PRECISION, 0.0)
                .containsEntry(Evaluation.ROWS, 4.0).containsEntry(Evaluation.POSITIVES, 0.0);
        double logLoss = -(Math.log(0.9) + Math.log(0.3) + Math.log(0.8) + Math.log(0.6)) / 4;
        assertThat(evaluation.metrics().get("logloss")).isCloseTo(logLoss, within(1e-15));
    }

    @Test
    void precisionIsUndefinedWhenNothingIsFlaggedAndLogLossClipsCertainMistakes() {
        Evaluation evaluation = HoldoutEvaluator.evaluate(Task.BINARY_CLASSIFICATION,
                new double[] {1, 0}, new double[] {0.0, 0.5});

        assertThat(evaluation.undefined()).containsEntry(Evaluation.PRECISION, "no holdout row scored above 0.5");
        assertThat(evaluation.metrics()).containsEntry(Evaluation.RECALL, 0.0).containsEntry("auc", 0.0);
        assertThat(evaluation.metrics().get("logloss"))
                .isCloseTo((-Math.log(HoldoutEvaluator.LOG_LOSS_EPS) - Math.log(0.5)) / 2, within(1e-12));
    }

    @Test
    void regressionErrors() {
        Evaluation evaluation = HoldoutEvaluator.evaluate(Task.REGRESSION,
                new double[] {1, 2, 3, 4}, new double[] {1, 3, 1, 4});

        assertThat(evaluation.metrics()).containsEntry("rmse", Math.sqrt(5.0 / 4)).containsEntry("mae", 0.75)
                .containsEntry(Evaluation.ROWS, 4.0);
    }

    @Test
    void scoresThatAreNotNumbersLeaveEveryScoreMetricUndefined() {
        Evaluation evaluation = HoldoutEvaluator.evaluate(Task.REGRESSION,
                new double[] {1, 2}, new double[] {1, Double.NaN});

        assertThat(evaluation.metrics()).containsOnlyKeys(Evaluation.ROWS);
        assertThat(evaluation.undefined()).containsEntry("rmse", "the model gave no finite score for 1 of 2 rows");
    }
}
