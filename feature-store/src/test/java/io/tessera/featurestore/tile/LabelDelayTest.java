package io.tessera.featurestore.tile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tessera.featurestore.ExampleFiles;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.vector.FeatureLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Features over the label (leakage, issue 8 scenario 8): with {@code label.known_after}, an aggregation
 * that reads the label sees an event's label only from {@code event time + known_after} on; every other
 * aggregation is unchanged.
 */
class LabelDelayTest {

    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_371_816_000_000L;   // a tile boundary

    private static final PipelineSpec SPEC = withLabelFeatures("30d");
    private static final FeaturePlan PLAN = FeaturePlan.of(SPEC);
    private static final FeatureLayout LAYOUT = FeatureLayout.of(SPEC, Map.of("category", List.of("travel")));

    @Test
    void onlyTheAggregationsThatReadTheLabelWait() {
        assertThat(PLAN.aggregations()).extracting(FeaturePlan.Aggregation::name, FeaturePlan.Aggregation::labelDelay)
                .contains(tuple("frauds", 30 * DAY), tuple("fraud_count", 30 * DAY),
                        tuple("txn_count", 0L), tuple("last_amt", 0L));
    }

    @Test
    void whenLabelsBecomeKnownIsPartOfWhatThePartialsAndTheVectorMean() {
        PipelineSpec sooner = withLabelFeatures("20d");

        assertThat(FeaturePlan.of(sooner).fingerprint()).isNotEqualTo(PLAN.fingerprint());
        assertThat(FeatureLayout.of(sooner, Map.of("category", List.of("travel"))).fingerprint()).isNotEqualTo(LAYOUT.fingerprint());
    }

    /** One fraud at T0 (and a legitimate event), read at T0 + days: what the label features and the count see. */
    @ParameterizedTest(name = "{0} days after the fraud: frauds_7d {1}, fraud_count {2}")
    @CsvSource({
            "1, 0, 0",      // a day later nobody knows yet; the plain count sees both events
            "29, 0, 0",
            "31, 1, 1",     // known from day 30 on
            "36, 1, 1",
            "38, 0, 1",     // known on day 30, so out of the 7d window from day 37 on; the lifetime count keeps it
    })
    void aLabelIsSeenFromItsEventTimePlusKnownAfter(int days, double frauds7d, double fraudCount) {
        EntityTiles card = PLAN.newEntity();
        PLAN.add(card, event(T0, 1));
        PLAN.add(card, event(T0 + 1000, 0));
        long readTime = T0 + days * DAY;

        double[] vector = LAYOUT.assemble(card, readTime, null);

        assertThat(vector[LAYOUT.names().indexOf("frauds_7d")]).isEqualTo(frauds7d);
        assertThat(vector[LAYOUT.names().indexOf("fraud_count")]).isEqualTo(fraudCount);
        assertThat(vector[LAYOUT.names().indexOf("txn_count_7d")]).isEqualTo(days < 7 ? 2.0 : 0.0);
    }

    @Test
    void stateStaysExactWhenTheKeyIsMaintainedPastTheEventsButNotYetPastTheirLabels() {
        EntityTiles card = PLAN.newEntity();
        PLAN.add(card, event(T0, 1));
        // a later event moves the key's watermark 10 days on, sealing and evicting what windows no longer reach
        PLAN.add(card, event(T0 + 10 * DAY, 0));
        PLAN.maintain(card, card.watermark());

        double[] vector = LAYOUT.assemble(card, T0 + 31 * DAY, null);

        assertThat(vector[LAYOUT.names().indexOf("frauds_7d")]).isEqualTo(1.0);
        assertThat(vector[LAYOUT.names().indexOf("fraud_count")]).isEqualTo(1.0);
    }

    /** card_fraud with two aggregations over the label, labels known {@code knownAfter} after their events. */
    private static PipelineSpec withLabelFeatures(String knownAfter) {
        return PipelineSpecs.parse(ExampleFiles.cardFraudSpec()
                .replace("label: { field: is_fraud }", "label: { field: is_fraud, known_after: " + knownAfter + " }")
                .replace("    - { name: last_amt,        op: last,  of: amt }", """
                            - { name: last_amt,        op: last,  of: amt }
                            - { name: frauds,          op: sum,   of: is_fraud, windows: [7d] }
                            - { name: fraud_count,     op: count, where: "is_fraud == 1" }\
                        """), "pipeline.yaml");
    }

    private static Event event(long time, long isFraud) {
        return new Event(time, Map.of("cc_num", "4242", "amt", 10.0, "category", "travel", "merchant", "m1",
                "city_pop", 1000L, "is_fraud", isFraud));
    }
}
