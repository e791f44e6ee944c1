package io.tessera.featurestore.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.merge.EntityTimeline;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Events of one key in the same millisecond have one order in every engine: whatever order they arrive
 * in, the key's batch view (its newest event, that event's vector) is the same.
 */
class EventOrderTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final PipelineSpec SPEC = PipelineSpecs.parse("""
            pipeline: order
            entity: { name: card, key: card }
            source:
              topic: t
              format: json
              timestamp: { field: ts, format: epoch_millis }
              fields: { card: string, amt: double, kind: string, minutes: double }
              max_lateness: 1h
            features:
              tile: 10m
              aggregations:
                - { name: n, op: count, windows: [1h] }
                - { name: latest, op: last, of: amt }
              event:
                - { name: amt, of: amt }
            label: { field: minutes }
            model: { task: regression, algorithm: gbt }
            """, "order.yaml");

    @Property(tries = 200)
    void theViewOfAKeyIsTheSameWhateverOrderItsEventsArriveIn(@ForAll long seed, @ForAll @IntRange(min = 2, max = 30) int size) {
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long time = T0 + random.nextInt(4) * 1_000L; // few instants: many ties
            events.add(new Event(time, Map.of("card", "1", "amt", (double) random.nextInt(5), "kind", "k" + random.nextInt(3),
                    "minutes", 1.0)));
        }
        EntityTimeline timeline = new EntityTimeline(FeaturePlan.of(SPEC), FeatureLayout.of(SPEC, Map.of()));
        List<Event> arrival = new ArrayList<>(events);
        Collections.shuffle(arrival, random);
        List<Event> other = new ArrayList<>(events);
        Collections.shuffle(other, new Random(seed + 1));

        arrival.sort(EventOrder.COMPARATOR);
        other.sort(EventOrder.COMPARATOR);
        EntityTimeline.KeyView a = timeline.view(arrival, T0 + 10_000);
        EntityTimeline.KeyView b = timeline.view(other, T0 + 10_000);

        assertThat(a.newestEvent()).isEqualTo(b.newestEvent());
        assertThat(a.newestEventVector()).containsExactly(b.newestEventVector());
        assertThat(a.partials()).isEqualTo(b.partials());
    }

    @Test
    void aTotalOrderThatIgnoresHowTheFieldsAreHeld() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("card", "1");
        fields.put("amt", 2.5);
        Map<String, Object> reversed = new LinkedHashMap<>();
        reversed.put("amt", 2.5);
        reversed.put("card", "1");
        Event one = new Event(T0, fields);
        Event same = new Event(T0, reversed);
        Event other = new Event(T0, Map.of("card", "1", "amt", 3.5));
        Event typedOtherwise = new Event(T0, Map.of("card", "1", "amt", 2L));

        assertThat(EventOrder.compare(one, same)).isZero();
        assertThat(Integer.signum(EventOrder.compare(one, other))).isEqualTo(-Integer.signum(EventOrder.compare(other, one))).isNotZero();
        assertThat(EventOrder.compare(one, typedOtherwise)).isNotZero();
        assertThat(EventOrder.compare(new Event(T0 - 1, Map.of("card", "9")), one)).isNegative();
    }

    @Test
    void theHashIsFixedByItsDefinitionNotByTheJvm() {
        // Another engine, or a later version of this class, must order the same events the same way.
        assertThat(EventOrder.contentHash(new Event(T0, Map.of("card", "1", "amt", 2.5, "n", 3L, "ok", true))))
                .isEqualTo(EXPECTED_HASH);
    }

    @Test
    void aTimelineRefusesEventsInAnotherOrder() {
        EntityTimeline timeline = new EntityTimeline(FeaturePlan.of(SPEC), FeatureLayout.of(SPEC, Map.of()));
        List<Event> events = new ArrayList<>(List.of(
                new Event(T0, Map.of("card", "1", "amt", 1.0, "kind", "a", "minutes", 1.0)),
                new Event(T0, Map.of("card", "1", "amt", 2.0, "kind", "a", "minutes", 1.0))));
        events.sort(EventOrder.COMPARATOR.reversed());

        assertThatThrownBy(() -> timeline.view(events, T0 + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EventOrder");
    }

    private static final long EXPECTED_HASH = 254_101_165_698_068_666L;
}
