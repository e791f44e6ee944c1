package io.tessera.featurestore.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.ExampleFiles;
import io.tessera.featurestore.aggregate.Op;
import io.tessera.featurestore.time.TimestampFormat;
import io.tessera.featurestore.time.Window;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineSpecsTest {

    @Test
    void theIssueExampleValidatesAsWritten() {
        PipelineSpec spec = PipelineSpecs.load(ExampleFiles.example("card_fraud", "pipeline.yaml"));

        assertThat(spec.name()).isEqualTo("card_fraud");
        assertThat(spec.entity()).isEqualTo(new EntitySpec("card", "cc_num"));
        assertThat(spec.source().topic()).isEqualTo("transactions");
        assertThat(spec.source().format()).isEqualTo(SourceFormat.CSV);
        assertThat(spec.source().timestamp()).isEqualTo(new TimestampSpec("unix_time", new TimestampFormat.EpochSeconds()));
        assertThat(spec.source().fields()).containsExactly(
                Map.entry("cc_num", FieldType.STRING), Map.entry("amt", FieldType.DOUBLE),
                Map.entry("category", FieldType.STRING), Map.entry("merchant", FieldType.STRING),
                Map.entry("city_pop", FieldType.LONG), Map.entry("is_fraud", FieldType.INT));
        assertThat(spec.source().maxLateness()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.features().tile()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.features().aggregations()).extracting(AggregationSpec::name).containsExactly(
                "txn_count", "amt_sum", "amt_mean", "amt_max", "grocery_count", "merchants_7d", "last_amt");
        AggregationSpec grocery = spec.features().aggregations().get(4);
        assertThat(grocery.op()).isEqualTo(Op.COUNT);
        assertThat(grocery.where()).contains("category == 'grocery_pos'");
        assertThat(grocery.windows()).containsExactly(new Window.Trailing(Duration.ofHours(24), "24h"));
        assertThat(spec.features().aggregations().get(6).windows()).isEmpty();
        assertThat(spec.features().aggregations().get(6).readWindows()).containsExactly(new Window.Lifetime());
        assertThat(spec.features().event()).containsExactly(
                new EventFeatureSpec("amt", "amt", Encoding.RAW, List.of(), 50),
                new EventFeatureSpec("category", "category", Encoding.ONE_HOT, List.of(), 50));
        assertThat(spec.label()).isEqualTo(new LabelSpec("is_fraud", Optional.empty(), Optional.empty()));
        assertThat(spec.model()).isEqualTo(new ModelSpec(Task.BINARY_CLASSIFICATION, Algorithm.GBT,
                Map.of("maxIter", 50, "maxDepth", 5), Metric.AUC, 0.2, "candidate >= champion - 0.005"));
        assertThat(spec.schedule().retrain()).contains("0 2 * * *");
        assertThat(spec.schedule().maintain()).as("maintained hourly unless the spec says").contains(ScheduleSpec.DEFAULT_MAINTAIN);
        assertThat(spec.schedule().publish()).contains("15 * * * *");
        assertThat(spec.serving().view()).isEqualTo("card_fraud");
    }

    @Test
    void optionalKeysTakeTheirDocumentedDefaults() {
        String yaml = """
                pipeline: ratings
                entity: { name: user, key: user_id }
                source:
                  topic: ratings
                  format: json
                  timestamp: { field: ts, format: iso8601 }
                  fields: { user_id: long, rating: double }
                  max_lateness: 0s
                features:
                  tile: 1d
                  aggregations:
                    - { name: rating_mean, op: mean, of: rating, windows: [30d] }
                label: { field: rating, positive: "rating >= 4", known_after: 0s }
                model: { task: binary_classification, algorithm: logistic_regression }
                """;
        PipelineSpec spec = PipelineSpecs.parse(yaml, "ratings.yaml");

        assertThat(spec.model().metric()).isEqualTo(Metric.AUC);
        assertThat(spec.model().holdout()).isEqualTo(0.2);
        assertThat(spec.model().promoteIf()).isEqualTo("candidate >= champion");
        assertThat(spec.model().params()).isEmpty();
        assertThat(spec.schedule().retrain()).isEmpty();
        assertThat(spec.schedule().maintain()).as("even without a schedule").contains(ScheduleSpec.DEFAULT_MAINTAIN);
        assertThat(spec.schedule().publish()).as("no refresh unless the spec says").isEmpty();
        assertThat(spec.serving().view()).isEqualTo("ratings");
        assertThat(spec.features().event()).isEmpty();
        assertThat(spec.source().maxLateness()).isZero();
        assertThat(spec.label().positive()).contains("rating >= 4");
        assertThat(spec.label().knownAfter()).contains(java.time.Duration.ZERO);   // a rating is known when given
        assertThat(spec.features().pointInTime()).isEqualTo(PointInTime.EVENT_TIME);
    }

    @Test
    void specsAreImmutable() {
        PipelineSpec spec = PipelineSpecs.parse(ExampleFiles.cardFraudSpec(), "pipeline.yaml");

        assertThatThrownBy(() -> spec.source().fields().put("x", FieldType.STRING))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.features().aggregations().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.model().params().put("seed", 1L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theExceptionListsEveryProblemWithTheSourceName() {
        assertThatThrownBy(() -> PipelineSpecs.parse("pipeline: Card-Fraud\n", "broken.yaml"))
                .isInstanceOf(SpecValidationException.class)
                .hasMessageStartingWith("broken.yaml: 6 problems\n")
                .hasMessageContaining("  pipeline (line 1, column 11): invalid name 'Card-Fraud'");
    }
}
