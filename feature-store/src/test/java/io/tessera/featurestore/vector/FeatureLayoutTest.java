package io.tessera.featurestore.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.ExampleFiles;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.spec.EventFeatureSpec;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.time.Admission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FeatureLayoutTest extends FeatureVectorTestBase {

    private static final PipelineSpec CARD_FRAUD = PipelineSpecs.parse(ExampleFiles.cardFraudSpec(), "pipeline.yaml");
    private static final long HOUR = 3_600_000L;

    @Test
    void columnsFollowTheSpecWithOneHotExpandedByTheVocabulary() {
        FeatureLayout layout = FeatureLayout.of(CARD_FRAUD, Map.of("category", List.of("grocery_pos", "gas_transport")));

        assertThat(layout.names()).containsExactly(
                "txn_count_1h", "txn_count_24h", "txn_count_7d",
                "amt_sum_1h", "amt_sum_24h", "amt_sum_7d",
                "amt_mean_24h", "amt_mean_7d",
                "amt_max_24h",
                "grocery_count_24h",
                "merchants_7d_7d",
                "last_amt",
                "amt",
                "category=grocery_pos", "category=gas_transport", "category=__other__");
        assertThat(layout.columns().get(11).source()).isInstanceOf(FeatureColumn.Aggregate.class);
        assertThat(layout.columns().get(13).source()).isEqualTo(new FeatureColumn.OneHot("category", "grocery_pos"));
        assertThat(layout.columns().get(15).source())
                .isEqualTo(new FeatureColumn.OtherCategory("category", Set.of("grocery_pos", "gas_transport"), false));
    }

    @Test
    void aCategoryOutsideTheLearnedVocabularyGoesToTheOtherColumn() {
        FeatureLayout layout = FeatureLayout.of(CARD_FRAUD, Map.of("category", List.of("grocery_pos", "gas_transport")));
        EntityTiles card = FeaturePlan.of(CARD_FRAUD).newEntity();

        double[] unseen = layout.assemble(card, 0, event(0, 1.0, "travel", "m1"));
        double[] known = layout.assemble(card, 0, event(0, 1.0, "gas_transport", "m1"));
        double[] spelledLikeOther = layout.assemble(card, 0, event(0, 1.0, EventFeatureSpec.OTHER_CATEGORY, "m1"));

        assertThat(Arrays.copyOfRange(unseen, 13, 16)).containsExactly(0, 0, 1);
        assertThat(Arrays.copyOfRange(known, 13, 16)).containsExactly(0, 1, 0);
        assertThat(Arrays.copyOfRange(spelledLikeOther, 13, 16)).containsExactly(0, 0, 1);
    }

    @Test
    void fixedCategoriesHaveNoOtherColumn() {
        PipelineSpec fixed = PipelineSpecs.parse(ExampleFiles.cardFraudSpec()
                .replace("encode: one_hot }", "encode: one_hot, categories: [grocery_pos, travel] }"), "pipeline.yaml");

        assertThat(FeatureLayout.of(fixed, Map.of()).names()).endsWith("amt", "category=grocery_pos", "category=travel");
    }

    @Test
    void aOneHotFeatureNeedsItsVocabulary() {
        assertThatThrownBy(() -> FeatureLayout.of(CARD_FRAUD, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("one_hot feature 'category' needs a vocabulary: learn it at training time"
                        + " (Vocabulary.learn) and read it from the model artifact");
    }

    @Test
    void learnedVocabulariesAreTheMostFrequentValuesThenByName() {
        assertThat(Vocabulary.learn(Map.of("b", 3L, "a", 3L, "c", 9L, "d", 1L), 3)).containsExactly("c", "a", "b");
        assertThat(Vocabulary.learn(Map.of(EventFeatureSpec.OTHER_CATEGORY, 20L, "a", 3L), 3)).containsExactly("a");
    }

    @Test
    void aVectorIsAssembledFromTilesAndTheCurrentEvent() {
        FeaturePlan plan = FeaturePlan.of(CARD_FRAUD);
        FeatureLayout layout = FeatureLayout.of(CARD_FRAUD, Map.of("category", List.of("grocery_pos", "gas_transport")));
        EntityTiles card = plan.newEntity();
        long t0 = 1_371_816_000_000L; // a tile boundary
        List<Event> seen = new ArrayList<>();
        for (Event e : List.of(
                event(t0 + 5, 10.0, "grocery_pos", "m1"),
                event(t0 + HOUR + 7, 20.5, "gas_transport", "m2"),
                event(t0 + HOUR + 7, 3.25, "grocery_pos", "m1"),
                event(t0 + 30 * HOUR, 100.0, "travel", "m3"))) {
            assertThat(plan.add(card, e)).isEqualTo(Admission.ACCEPTED);
            seen.add(e);
        }
        Event scored = event(t0 + 30 * HOUR, 42.0, "grocery_pos", "m4");

        double[] vector = layout.assemble(card, scored.time(), scored);

        assertThat(vector).containsExactly(
                0, 0, 3,          // txn_count: nothing in the last hour (the 30h event is at t, excluded)
                0, 0, 33.75,      // amt_sum
                0, 33.75 / 3,     // amt_mean: 24h window is empty -> default 0
                0,                // amt_max_24h
                0,                // grocery_count_24h
                vector[10],       // merchants_7d_7d: checked below
                20.5,             // last_amt: of the two at t0+1h+7, the greater value
                42.0, 1, 0, 0);
        assertThat(vector[10]).isCloseTo(2.0, org.assertj.core.api.Assertions.within(0.05));
        assertVectorMatchesOracle(CARD_FRAUD, layout, vector, seen, scored.time(), scored);
    }

    @Test
    void withoutAnEventTheEventColumnsAreNaN() {
        FeaturePlan plan = FeaturePlan.of(CARD_FRAUD);
        FeatureLayout layout = FeatureLayout.of(CARD_FRAUD, Map.of("category", List.of("grocery_pos")));

        double[] vector = layout.assemble(plan.newEntity(), 0, null);

        assertThat(vector[12]).isNaN();
        assertThat(vector[13]).isNaN();
        assertThat(vector[0]).isZero();
    }

    static Event event(long time, double amt, String category, String merchant) {
        return new Event(time, Map.of("cc_num", "4242", "amt", amt, "category", category, "merchant", merchant,
                "city_pop", 1000L, "is_fraud", 0L));
    }
}
