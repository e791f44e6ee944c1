package io.tessera.batch.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RocCurveTest {

    @Test
    void runsFromTheOriginToTheTopRightThroughEveryDistinctThreshold() {
        RocCurve curve = RocCurve.of(new double[] {1, 0, 1, 0}, new double[] {0.9, 0.8, 0.4, 0.1}).orElseThrow();

        assertThat(curve.falsePositiveRates()).containsExactly(0, 0, 0.5, 0.5, 1);
        assertThat(curve.truePositiveRates()).containsExactly(0, 0.5, 0.5, 1, 1);
        assertThat(curve.area()).isEqualTo(0.75);
    }

    @Test
    void tiedScoresMakeOneDiagonalStepAndItsAreaIsTheEvaluatorsAuc() {
        Random random = new Random(2);
        int n = 3_000; // more points than are drawn: thinning must keep the area close
        double[] labels = new double[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < 0.3 ? 1 : 0;
            scores[i] = Math.round((labels[i] + random.nextGaussian()) * 50) / 50.0;
        }
        RocCurve curve = RocCurve.of(labels, scores).orElseThrow();
        double auc = io.tessera.batch.train.HoldoutEvaluator.evaluate(io.tessera.featurestore.spec.Task.BINARY_CLASSIFICATION,
                labels, scores).metrics().get("auc");

        assertThat(curve.falsePositiveRates().length).isLessThanOrEqualTo(RocCurve.MAX_POINTS);
        assertThat(curve.area()).isCloseTo(auc, within(0.005));
    }

    @Test
    void doesNotExistWithOneClass() {
        assertThat(RocCurve.of(new double[] {0, 0}, new double[] {0.2, 0.3})).isEmpty();
    }
}
