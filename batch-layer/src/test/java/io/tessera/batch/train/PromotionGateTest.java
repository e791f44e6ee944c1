package io.tessera.batch.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Metric;
import io.tessera.featurestore.spec.ModelSpec;
import io.tessera.featurestore.spec.Task;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromotionGateTest {

    private static final ModelSpec AUC_SPEC = new ModelSpec(Task.BINARY_CLASSIFICATION, Algorithm.GBT, Map.of(),
            Metric.AUC, 0.2, "candidate >= champion - 0.005");
    private static final ModelSpec RMSE_SPEC = new ModelSpec(Task.REGRESSION, Algorithm.GBT, Map.of(),
            Metric.RMSE, 0.2, "candidate <= champion");
    private static final Evaluation CLASSIFIER_BASELINE = classification(0.5, 0.69);

    @Test
    void aWorseCandidateIsNotPromoted() {
        PromotionDecision decision = new PromotionGate(AUC_SPEC).decide(classification(0.80, 0.40),
                CLASSIFIER_BASELINE, champion(classification(0.83, 0.38)));

        assertThat(decision.promote()).isFalse();
        assertThat(decision.metricUsed()).isEqualTo("auc");
        assertThat(decision.candidateValue()).isEqualTo(0.80);
        assertThat(decision.championValue()).isEqualTo(0.83);
        assertThat(decision.reason()).contains("Not promoted", "cards v4", "candidate >= champion - 0.005");
    }

    @Test
    void aBetterCandidateIsPromotedAndPromoteIfAllowsTheSpecsSlack() {
        PromotionGate gate = new PromotionGate(AUC_SPEC);

        assertThat(gate.decide(classification(0.86, 0.36), CLASSIFIER_BASELINE, champion(classification(0.83, 0.38)))
                .promote()).isTrue();
        assertThat(gate.decide(classification(0.827, 0.39), CLASSIFIER_BASELINE, champion(classification(0.83, 0.38)))
                .promote()).as("within promote_if's 0.005").isTrue();
    }

    @Test
    void lowerIsBetterForRegressionErrors() {
        PromotionGate gate = new PromotionGate(RMSE_SPEC);
        Evaluation baseline = regression(4.9);

        assertThat(gate.decide(regression(1.2), baseline, champion(regression(1.4))).promote()).isTrue();
        assertThat(gate.decide(regression(1.5), baseline, champion(regression(1.4))).promote()).isFalse();
    }

    @Test
    void theFirstModelMustBeatTheTrivialBaseline() {
        PromotionGate gate = new PromotionGate(AUC_SPEC);

        PromotionDecision learned = gate.decide(classification(0.7, 0.6), CLASSIFIER_BASELINE, Optional.empty());
        PromotionDecision chance = gate.decide(classification(0.5, 0.6), CLASSIFIER_BASELINE, Optional.empty());

        assertThat(learned.promote()).isTrue();
        assertThat(learned.championValue()).isEqualTo(0.5);
        assertThat(learned.reason()).contains("first model", "beats the trivial baseline");
        assertThat(chance.promote()).as("no better than chance").isFalse();
        assertThat(new PromotionGate(RMSE_SPEC).decide(regression(5.0), regression(4.9), Optional.empty()).promote())
                .isFalse();
    }

    @Test
    void withAucUndefinedTheFirstModelIsJudgedOnLogLossAgainstTheBaseline() {
        PromotionGate gate = new PromotionGate(AUC_SPEC);

        PromotionDecision better = gate.decide(withoutPositives(0.05), withoutPositives(0.09), Optional.empty());
        PromotionDecision worse = gate.decide(withoutPositives(0.12), withoutPositives(0.09), Optional.empty());

        assertThat(better.promote()).isTrue();
        assertThat(better.metricUsed()).isEqualTo("logloss");
        assertThat(better.candidateValue()).isEqualTo(0.05);
        assertThat(better.championValue()).isEqualTo(0.09);
        assertThat(better.reason()).contains("Compared on log loss because auc is undefined for the candidate",
                "no positive labels among the 300 holdout rows");
        assertThat(worse.promote()).isFalse();
    }

    @Test
    void withAucUndefinedAChampionIsComparedOnLogLossNotWithTheAucRule() {
        PromotionGate gate = new PromotionGate(AUC_SPEC);
        Optional<Champion> champion = champion(withoutPositives(0.080));

        // 'candidate >= champion - 0.005' on log loss would promote this worse candidate: the gate must not use it
        PromotionDecision worse = gate.decide(withoutPositives(0.083), withoutPositives(0.09), champion);
        PromotionDecision better = gate.decide(withoutPositives(0.070), withoutPositives(0.09), champion);

        assertThat(worse.promote()).isFalse();
        assertThat(worse.metricUsed()).isEqualTo("logloss");
        assertThat(worse.reason()).contains("'candidate <= champion'");
        assertThat(better.promote()).isTrue();
        assertThat(better.championValue()).isEqualTo(0.080);
    }

    @Test
    void aChampionThatRecordedNoAucIsComparedOnLogLossAndTheReasonSaysWhereItsValueComesFrom() {
        Champion recorded = new Champion("cards", 2, new Evaluation(Map.of("logloss", 0.3), Map.of()), false);

        PromotionDecision decision = new PromotionGate(AUC_SPEC).decide(classification(0.9, 0.25),
                CLASSIFIER_BASELINE, Optional.of(recorded));

        assertThat(decision.promote()).isTrue();
        assertThat(decision.metricUsed()).isEqualTo("logloss");
        assertThat(decision.reason()).contains("the champion has no auc (not recorded)", "from its own holdout");
    }

    @Test
    void nothingToCompareMeansTheChampionKeepsServing() {
        Evaluation empty = new Evaluation(Map.of(Evaluation.ROWS, 0.0), Map.of("rmse", "the holdout is empty"));

        PromotionDecision decision = new PromotionGate(RMSE_SPEC).decide(empty, empty, champion(regression(1.0)));

        assertThat(decision.promote()).isFalse();
        assertThat(decision.candidateValue()).isNaN();
        assertThat(decision.championValue()).isNull();
        assertThat(decision.reason()).contains("rmse is undefined for the candidate (the holdout is empty)");
    }

    private static Evaluation classification(double auc, double logLoss) {
        return new Evaluation(Map.of("auc", auc, "logloss", logLoss), Map.of());
    }

    private static Evaluation withoutPositives(double logLoss) {
        return new Evaluation(Map.of("logloss", logLoss, Evaluation.POSITIVES, 0.0),
                Map.of("auc", "no positive labels among the 300 holdout rows"));
    }

    private static Evaluation regression(double rmse) {
        return new Evaluation(Map.of("rmse", rmse), Map.of());
    }

    private static Optional<Champion> champion(Evaluation evaluation) {
        return Optional.of(new Champion("cards", 4, evaluation, true));
    }
}
