package io.tessera.batch.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tessera.batch.BatchTestData;
import io.tessera.batch.registry.RegisteredModel;
import io.tessera.featurestore.contract.TrainingProvenance;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelBody;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Fingerprint;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.spec.Task;
import io.tessera.featurestore.vector.FeatureLayout;
import org.junit.jupiter.api.Test;

/** A champion scores a view only if it was trained on the view's layout; otherwise the scores are withheld, with the reason. */
class ViewScoringTest {

    private static final Map<String, List<String>> VOCABULARY = Map.of("category", List.of("grocery_pos", "travel"));
    private static final Map<String, List<String>> LEARNED = Map.of("category", List.of("travel", "misc_net", "gas_transport"));

    @Test
    void theChampionOfTheSameLayoutScores() throws Exception {
        PipelineSpec spec = BatchTestData.cardFraudSpec("scoring").spec();
        ModelArtifact champion = trainedOn(spec);

        ViewScoring scoring = ViewScoring.decide(spec, Optional.of(registered(champion)), Optional.of(champion), LEARNED);

        assertThat(scoring.model()).contains(champion);
        assertThat(scoring.champion()).hasValueSatisfying(c -> assertThat(c.version()).isEqualTo(3));
        assertThat(scoring.withheld()).isEmpty();
        assertThat(scoring.vocabularies()).isEqualTo(VOCABULARY);
        assertThat(scoring.layout().names()).isEqualTo(champion.features());
    }

    @Test
    void aChangedConditionBehindTheSameColumnNamesWithholdsTheScores() throws Exception {
        String yaml = BatchTestData.cardFraudSpec("scoring").yaml();
        ModelArtifact champion = trainedOn(PipelineSpecs.parse(yaml, "old.yaml"));
        PipelineSpec edited = PipelineSpecs.parse(yaml.replace("category == 'grocery_pos'", "category == 'gas_transport'"), "new.yaml");
        assertThat(FeatureLayout.of(edited, VOCABULARY).names()).as("same width, same names").isEqualTo(champion.features());

        ViewScoring scoring = ViewScoring.decide(edited, Optional.of(registered(champion)), Optional.of(champion), LEARNED);

        assertThat(scoring.model()).isEmpty();
        assertThat(scoring.champion()).isEmpty();
        assertThat(scoring.withheld()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("champion scoring v3 does not fit this spec's features", "same column names over other definitions"));
        assertThat(scoring.vocabularies()).isEqualTo(LEARNED);
    }

    @Test
    void aChangedWindowWithholdsTheScoresNamingTheColumn() throws Exception {
        String yaml = BatchTestData.cardFraudSpec("scoring").yaml();
        ModelArtifact champion = trainedOn(PipelineSpecs.parse(yaml, "old.yaml"));
        PipelineSpec edited = PipelineSpecs.parse(yaml.replace("op: max,   of: amt,                 windows: [24h]",
                "op: max,   of: amt,                 windows: [48h]"), "new.yaml");

        ViewScoring scoring = ViewScoring.decide(edited, Optional.of(registered(champion)), Optional.of(champion), LEARNED);

        assertThat(scoring.withheld()).hasValueSatisfying(reason -> assertThat(reason).contains("'amt_max_24h' in the model", "'amt_max_48h'"));
        assertThat(scoring.model()).isEmpty();
    }

    @Test
    void withoutAChampionThereIsNothingToScoreWithAndNothingWithheld() throws Exception {
        PipelineSpec spec = BatchTestData.cardFraudSpec("scoring").spec();

        ViewScoring scoring = ViewScoring.decide(spec, Optional.empty(), Optional.empty(), LEARNED);

        assertThat(scoring.model()).isEmpty();
        assertThat(scoring.withheld()).isEmpty();
        assertThat(scoring.layout().names()).isEqualTo(FeatureLayout.of(spec, LEARNED).names());
    }

    private static ModelArtifact trainedOn(PipelineSpec spec) {
        FeatureLayout layout = FeatureLayout.of(spec, VOCABULARY);
        double[] coefficients = new double[layout.size()];
        Arrays.fill(coefficients, 0.01);
        TrainingProvenance provenance = new TrainingProvenance(1, 0, "run", "lake.scoring.training_set", spec.fingerprint(), layout.fingerprint());
        return ModelArtifact.of(spec.name(), 3, Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, layout.names(), VOCABULARY,
                new ModelBody.Linear(coefficients, -1.0), Map.of(), Map.of("auc", 0.9), provenance.toMap());
    }

    private static RegisteredModel registered(ModelArtifact artifact) {
        return new RegisteredModel(artifact.name(), artifact.version(), RegisteredModel.CHAMPION, "binary_classification",
                "logistic_regression", "{}", Map.of("auc", 0.9), 1, new Timestamp(0), "/models/v3/model.json",
                Fingerprint.of("artifact").hex(), "promoted", "run", new Timestamp(0));
    }
}
