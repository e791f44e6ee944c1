package io.tessera.batch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelBody;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison itself, on a linear model whose exact scores are known without Spark. */
class ExportCheckTest {

    private static final List<String> FEATURES = List.of("a", "b");
    private static final ModelArtifact LINEAR = ModelArtifact.of("spend", 1, Task.REGRESSION, Algorithm.LINEAR_REGRESSION,
            FEATURES, Map.of(), new ModelBody.Linear(new double[] {2.0, 1000.0}, 0.5), Map.of(), Map.of(), Map.of());
    private static final double[][] ROWS = {{1, 0}, {0, 1}, {3, 1000}, {0.25, 0}};
    private static final double[] EXACT = {2.5, 1000.5, 1_000_006.5, 1.0};

    @Test
    void exactScoresAgree() {
        ExportAgreement agreement = ExportCheck.verify(LINEAR, holdout(EXACT.clone()));

        assertThat(agreement.rows()).isEqualTo(4);
        assertThat(agreement.maxDifference()).isZero();
    }

    @Test
    void aDifferenceAboveTheToleranceFailsAndTheWorstRowIsNamed() {
        double[] spark = EXACT.clone();
        spark[0] += 4e-12;
        spark[3] += 2e-12;

        assertThatThrownBy(() -> ExportCheck.verify(LINEAR, holdout(spark)))
                .isInstanceOfSatisfying(ExportMismatchException.class, e -> {
                    assertThat(e.row()).isEqualTo(0);
                    assertThat(e.mismatchedRows()).isEqualTo(2);
                    assertThat(e.exportScore()).isEqualTo(2.5);
                    assertThat(e.features()).containsExactly(1, 0);
                })
                .hasMessageContaining("2 of 4 holdout rows");
    }

    @Test
    void largePredictionsAreComparedRelativeToTheirMagnitude() {
        double[] spark = EXACT.clone();
        spark[2] = Math.nextUp(spark[2]); // one ulp of 1e6 is 1.2e-10: beyond 1e-12 absolute, within 1e-12 relative

        assertThat(ExportCheck.verify(LINEAR, holdout(spark)).maxDifference()).isEqualTo(Math.ulp(1_000_006.5));
    }

    @Test
    void aNumberAgainstNanIsAMismatch() {
        double[] spark = EXACT.clone();
        spark[1] = Double.NaN;

        assertThatThrownBy(() -> ExportCheck.verify(LINEAR, holdout(spark)))
                .isInstanceOfSatisfying(ExportMismatchException.class, e -> assertThat(e.row()).isEqualTo(1));
    }

    private static ScoredHoldout holdout(double[] sparkScores) {
        return new ScoredHoldout(FEATURES, ROWS, new double[ROWS.length], sparkScores, ROWS.length);
    }
}
