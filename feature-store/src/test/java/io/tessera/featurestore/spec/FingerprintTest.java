package io.tessera.featurestore.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.ExampleFiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fingerprints follow meaning, not text: run keys and publication lookups depend on it. */
class FingerprintTest {

    @Test
    void commentsLayoutAndQuotingChangeNoFingerprintButAChangedWindowChangesEvery() throws Exception {
        String yaml = ExampleFiles.cardFraudSpec();
        PipelineSpec spec = PipelineSpecs.parse(yaml, "a.yaml");
        String reworded = "# a comment added on top\n" + yaml.replace("pipeline: card_fraud", "pipeline: \"card_fraud\"   # quoted now")
                .replace("  max_lateness: 1h", "  max_lateness:    1h");
        PipelineSpec same = PipelineSpecs.parse(reworded, "b.yaml");
        PipelineSpec changed = PipelineSpecs.parse(yaml.replace("windows: [24h] }\n    - { name: grocery_count",
                "windows: [48h] }\n    - { name: grocery_count"), "c.yaml");

        assertThat(same.fingerprint()).isEqualTo(spec.fingerprint());
        assertThat(FeaturePlan.of(same).fingerprint()).isEqualTo(FeaturePlan.of(spec).fingerprint());
        assertThat(changed.fingerprint()).isNotEqualTo(spec.fingerprint());
        assertThat(FeaturePlan.of(changed).fingerprint()).isNotEqualTo(FeaturePlan.of(spec).fingerprint());
    }

    @Test
    void aChangedConditionBehindAnUnchangedColumnNameChangesTheLayoutFingerprint() throws Exception {
        String yaml = ExampleFiles.cardFraudSpec();
        Map<String, List<String>> vocabulary = Map.of("category", List.of("grocery_pos", "travel"));
        FeatureLayout layout = FeatureLayout.of(PipelineSpecs.parse(yaml, "a.yaml"), vocabulary);
        FeatureLayout otherCondition = FeatureLayout.of(PipelineSpecs.parse(yaml.replace("category == 'grocery_pos'",
                "category == 'gas_transport'"), "b.yaml"), vocabulary);

        assertThat(otherCondition.names()).isEqualTo(layout.names());
        assertThat(otherCondition.fingerprint()).isNotEqualTo(layout.fingerprint());
    }
}
