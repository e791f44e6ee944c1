package io.tessera.featurestore.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.time.Admission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * A key's events arrive out of order, as they do in the speed layer. Each accepted event is scored at its
 * own time against the state so far, tiles are sealed and evicted as the watermark moves, and at the
 * end the state is read at the watermark: every vector must equal the oracle over the events accepted
 * up to then; every late event must be rejected, reported and leave the state unchanged.
 *
 * <p>Some events lack {@code amt} or {@code zip}, as rows written before a field was added to the spec
 * read: aggregations skip the absent value, {@code count} still counts the event, a {@code where} on it
 * is false, and the event features read the field's {@code default:} (or 0 without one).
 */
class OutOfOrderStreamTest extends FeatureVectorTestBase {

    private static final long MINUTE = 60_000L;
    private static final PipelineSpec SPEC = PipelineSpecs.parse("""
            pipeline: lateness_check
            entity: { name: card, key: card }
            source:
              topic: t
              format: json
              timestamp: { field: ts, format: epoch_millis }
              fields:
                card: string
                amt: double
                kind: string
                minutes: double
                zip: { type: string, default: "00000" }
                tip: { type: double, default: -1 }
              max_lateness: 20m
            features:
              tile: 10m
              aggregations:
                - { name: n, op: count, windows: [10m, 30m] }
                - { name: big, op: count, where: "amt >= 50", windows: [20m] }
                - { name: total, op: sum, of: amt, windows: [30m] }
                - { name: avg, op: mean, of: amt, windows: [20m], default: -1 }
                - { name: low, op: min, of: amt, windows: [10m] }
                - { name: kinds, op: approx_distinct, of: kind, windows: [30m] }
                - { name: latest, op: last, of: amt }
                - { name: zips, op: approx_distinct, of: zip, windows: [30m] }
                - { name: local, op: count, where: "zip == '10001' || amt > 90.0", windows: [30m] }
                - { name: tips, op: sum, of: tip, windows: [20m] }
              event:
                - { name: amt, of: amt }
                - { name: tip, of: tip }
                - { name: kind, of: kind, encode: one_hot, categories: [a, b] }
                - { name: zip, of: zip, encode: one_hot, categories: ["00000", "10001"] }
            label: { field: minutes }
            model: { task: regression, algorithm: gbt }
            """, "lateness.yaml");

    @Property(tries = 120)
    void scoresAsEventsArriveAndRejectsOnlyTheLate(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int size) {
        Random random = new Random(seed);
        FeaturePlan plan = FeaturePlan.of(SPEC);
        FeatureLayout layout = FeatureLayout.of(SPEC, Map.of());
        EntityTiles card = plan.newEntity();
        List<Event> accepted = new ArrayList<>();
        int late = 0;

        for (Event e : arrivals(random, size)) {
            boolean expectLate = !accepted.isEmpty()
                    && e.time() < accepted.stream().mapToLong(Event::time).max().getAsLong() - 20 * MINUTE;
            long probe = e.time() + 60 * MINUTE;
            double[] before = layout.assemble(card, probe, null);
            Admission admission = plan.add(card, e);

            assertThat(admission == Admission.LATE).as("late: %s", e).isEqualTo(expectLate);
            if (admission == Admission.LATE) {
                late++;
                assertThat(layout.assemble(card, probe, null)).containsExactly(before);
                continue;
            }
            accepted.add(e);
            assertVectorMatchesOracle(SPEC, layout, layout.assemble(card, e.time(), e), accepted, e.time(), e);
            if (random.nextInt(3) == 0) {
                plan.maintain(card, card.watermark());
            }
        }
        plan.maintain(card, card.watermark());
        Event last = accepted.get(accepted.size() - 1);
        for (long t : new long[] {card.watermark(), card.watermark() + 1, card.watermark() + 25 * MINUTE}) {
            assertVectorMatchesOracle(SPEC, layout, layout.assemble(card, t, last), accepted, t, last);
        }
        assertThat(accepted.size() + late).isEqualTo(size);
        Statistics.label("streams with late events").collect(late > 0);
        Statistics.label("streams with late events").coverage(c -> c.check(true).percentage(p -> p > 20));
    }

    /** Event times spread over a few hours, arriving up to 40 minutes out of order. */
    private static List<Event> arrivals(Random random, int size) {
        long start = 1_600_000_000_000L + random.nextInt(1_000_000);
        record Arrival(Event event, long arrival) {
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long time = start + (long) (random.nextDouble() * 4 * 60 * MINUTE);
            if (random.nextInt(4) == 0 && !arrivals.isEmpty()) {
                time = arrivals.get(random.nextInt(arrivals.size())).event().time(); // same timestamp again
            }
            double amt = random.nextInt(5) == 0 ? 50.0 : Math.round(random.nextDouble() * 10_000) / 100.0;
            String kind = List.of("a", "b", "c").get(random.nextInt(3));
            Map<String, Object> fields = new HashMap<>(Map.of("card", "1", "amt", amt, "kind", kind, "minutes", 1.0));
            if (random.nextInt(3) == 0) {
                fields.put("zip", List.of("00000", "10001", "94110").get(random.nextInt(3)));
            }
            if (random.nextInt(3) == 0) {
                fields.put("tip", Math.round(random.nextDouble() * 500) / 100.0);
            }
            if (random.nextInt(6) == 0) {
                fields.remove("amt"); // an older row: it predates amt
            }
            Event event = new Event(time, fields);
            arrivals.add(new Arrival(event, time + (long) (random.nextDouble() * 40 * MINUTE)));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::arrival));
        return arrivals.stream().map(Arrival::event).toList();
    }
}
