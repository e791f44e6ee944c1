package io.tessera.featurestore.tile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.expr.ExpressionEvaluationException;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.time.Admission;
import io.tessera.featurestore.time.Window;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Adding an event is all or nothing: an event whose {@code where} fails at run time leaves the key's
 * tiles and watermark exactly as they were, whichever aggregation's condition fails, and the failure is
 * reported for quarantine (reason {@code expression_error}) instead of being taken for false.
 */
class AllOrNothingTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final PipelineSpec SPEC = PipelineSpecs.parse("""
            pipeline: all_or_nothing
            entity: { name: card, key: card }
            source:
              topic: t
              format: json
              timestamp: { field: ts, format: epoch_millis }
              fields: { card: string, amt: double, parts: int, minutes: double }
              max_lateness: 1h
            features:
              tile: 10m
              aggregations:
                - { name: n, op: count, windows: [1h] }
                - { name: total, op: sum, of: amt, windows: [1h] }
                - { name: split, op: count, where: "100 / parts > 10", windows: [1h] }
                - { name: latest, op: last, of: amt }
            label: { field: minutes }
            model: { task: regression, algorithm: gbt }
            """, "all_or_nothing.yaml");
    private static final FeaturePlan PLAN = FeaturePlan.of(SPEC);

    @Test
    void anEventWhoseConditionFailsChangesNothingAndIsReported() {
        EntityTiles card = PLAN.newEntity();
        assertThat(PLAN.add(card, event(T0, 2))).isEqualTo(Admission.ACCEPTED);
        byte[] before = EntityTilesCodec.encode(PLAN, card);
        long watermark = card.watermark();

        // later than every event so far: without all-or-nothing, n and total would already hold it
        ExpressionEvaluationException failure = catchThrowableOfType(ExpressionEvaluationException.class,
                () -> PLAN.add(card, event(T0 + 60_000, 0)));

        assertThat(failure).hasMessageStartingWith("expression '100 / parts > 10' failed: ");
        assertThat(EntityTilesCodec.encode(PLAN, card)).isEqualTo(before);
        assertThat(card.watermark()).isEqualTo(watermark);
        assertThat(PLAN.add(card, event(T0 + 120_000, 5))).isEqualTo(Admission.ACCEPTED);
    }

    @Test
    void anIngestCanFindTheFailureBeforeTheEventEntersTheLake() {
        PLAN.select(event(T0, 3));

        assertThat(catchThrowableOfType(ExpressionEvaluationException.class, () -> PLAN.select(event(T0, 0))))
                .hasMessageContaining("100 / parts");
    }

    @Test
    void aSelectionMadeOnceAddsWhatTheEventsOwnConditionsWould() {
        Event passes = event(T0, 2);     // 100 / 2 > 10: split takes it
        Event fails = event(T0 + 60_000, 20);   // 100 / 20 = 5: split does not
        Selection first = PLAN.select(passes);
        Selection second = PLAN.select(fails);
        assertThat(first.includes(PLAN.indexOf("split"))).isTrue();
        assertThat(second.includes(PLAN.indexOf("split"))).isFalse();
        assertThat(second.includes(PLAN.indexOf("n"))).isTrue();

        EntityTiles evaluatedPerAdd = PLAN.newEntity();
        PLAN.add(evaluatedPerAdd, passes);
        PLAN.add(evaluatedPerAdd, fails);
        EntityTiles selectedOnce = PLAN.newEntity();
        PLAN.add(selectedOnce, passes, selectedOnce.watermark(), Selection.of(first.bits()));
        PLAN.add(selectedOnce, fails, selectedOnce.watermark(), second);

        assertThat(EntityTilesCodec.encode(PLAN, selectedOnce)).isEqualTo(EntityTilesCodec.encode(PLAN, evaluatedPerAdd));
        assertThat(selectedOnce.tiles("split").read(new Window.Trailing(Duration.ofHours(1), "1h"), T0 + 120_000).finish())
                .isEqualTo(1.0);
    }

    private static Event event(long time, long parts) {
        return new Event(time, Map.of("card", "1", "amt", 10.0, "parts", parts, "minutes", 1.0));
    }
}
