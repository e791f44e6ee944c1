package io.tessera.featurestore.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventOrder;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.tile.InexactReadException;
import io.tessera.featurestore.time.Admission;
import io.tessera.featurestore.vector.FeatureLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * A key's windows kept from one read to the next ({@link WindowReads}) give the vector a fresh merge gives,
 * read after read, as the speed layer reads them: events mostly in time order, some out of order or at the
 * same millisecond, late ones refused, tiles sealed and evicted as the key's time moves, reads at other
 * times in between (one inside a sealed tile is refused by both), a key read less often than once a tile
 * (it keeps nothing), and a new batch view (with its realtime half) taking over midway. The distinct
 * aggregation sees hundreds of values, so its sketches go past their sparse form, where a union is costly
 * and the kept read replays values instead.
 */
class WindowReadsTest {

    private static final PipelineSpec SPEC = PipelineSpecs.parse("""
            pipeline: window_reads
            entity: { name: card, key: card }
            source:
              topic: t
              format: json
              timestamp: { field: ts, format: epoch_millis }
              fields: { card: string, amt: double, word: string, fraud: int }
              max_lateness: 20s
            features:
              tile: 10s
              aggregations:
                - { name: n, op: count, windows: [10s, 60s] }
                - { name: positive, op: count, where: "amt > 0.0", windows: [30s] }
                - { name: total, op: sum, of: amt, windows: [30s] }
                - { name: avg, op: mean, of: amt, windows: [60s], default: -1 }
                - { name: high, op: max, of: amt, windows: [10s] }
                - { name: words, op: approx_distinct, of: word, windows: [60s, 200s] }
                - { name: latest, op: last, of: amt }
                - { name: ever, op: count }
              event:
                - { name: amt, of: amt }
            label: { field: fraud }
            model: { task: binary_classification, algorithm: gbt }
            """, "window-reads.yaml");
    private static final FeaturePlan PLAN = FeaturePlan.of(SPEC);
    private static final FeatureLayout LAYOUT = FeatureLayout.of(SPEC, Map.of());
    private static final ViewMerge MERGE = new ViewMerge(PLAN, LAYOUT);

    /** A key's stream: how many events the first view holds, how many the second, and a seed for the rest. */
    record Stream(int events, int firstView, int secondView, long seed) {
    }

    @Provide
    Arbitrary<Stream> streams() {
        return Combinators.combine(Arbitraries.integers().between(20, 400), Arbitraries.integers().between(0, 100),
                Arbitraries.integers().between(0, 100), Arbitraries.longs()).as(Stream::new);
    }

    @Property(tries = 150)
    void keptReadsGiveTheVectorOfAFreshMerge(@ForAll("streams") Stream stream) {
        Random random = new Random(stream.seed());
        List<Event> events = new ArrayList<>();
        long time = 1_700_000_000_000L;
        for (int i = 0; i < stream.events(); i++) {
            int step = random.nextInt(10);
            time += step < 2 ? 0 : step < 8 ? random.nextInt(3_000) : 10_000 + random.nextInt(20_000);   // same ms, close, a gap
            long eventTime = random.nextInt(8) == 0 ? time - random.nextInt(25_000) : time;   // out of order, a few too late
            events.add(new Event(eventTime, Map.of("card", "k", "amt", (random.nextInt(2001) - 1000) / 8.0,
                    "word", "w" + random.nextInt(600), "fraud", 0L)));
        }
        int first = Math.min(stream.firstView(), events.size());
        int second = Math.min(events.size(), first + stream.secondView());
        View view = View.of(events, first);
        WindowReads reads = new WindowReads();
        double[] kept = new double[LAYOUT.size()];
        for (int i = first; i < events.size(); i++) {
            if (i == second && second > first) {
                view = View.of(events, second);   // a publication: its batch and the realtime half it leaves
                Statistics.label("views").collect("a second view");
                continue;
            }
            Event event = events.get(i);
            long watermark = Math.max(view.realtime.watermark(), view.batch == null ? Long.MIN_VALUE : view.batch.watermark());
            if (PLAN.add(view.realtime, event, watermark, PLAN.select(event)) == Admission.LATE) {
                Statistics.label("events").collect("late");
                continue;
            }
            PLAN.maintain(view.realtime, view.realtime.watermark());
            long readTime = random.nextInt(10) == 0 ? event.time() + random.nextInt(30_000) - 5_000 : event.time();
            if (view.batch != null && readTime < view.batch.horizon()) {
                continue;
            }
            double[] expected;
            try {
                expected = MERGE.vector(view.batch, view.realtime, readTime, event);
            } catch (InexactReadException refused) {   // a read inside a sealed tile: the kept reads must not answer it either
                View at = view;
                assertThatThrownBy(() -> MERGE.assembleInto(kept, at.batch, at.realtime, readTime, event, reads))
                        .isInstanceOf(InexactReadException.class);
                Statistics.label("events").collect("refused by both");
                continue;
            }
            MERGE.assembleInto(kept, view.batch, view.realtime, readTime, event, reads);
            assertThat(kept).as("event %d read at %d", i, readTime).isEqualTo(expected);
            Statistics.label("events").collect("compared");
        }
    }

    /** A batch view of the first {@code held} events, and the realtime tiles of the rest so far (none yet). */
    private record View(BatchPartials batch, EntityTiles realtime) {

        static View of(List<Event> events, int held) {
            if (held == 0) {
                return new View(null, PLAN.newEntity());
            }
            List<Event> inView = events.subList(0, held).stream().sorted(EventOrder.COMPARATOR).toList();
            long cutoff = inView.get(inView.size() - 1).time() + 1;
            BatchPartials batch = BatchPartials.decode(PLAN, new EntityTimeline(PLAN, LAYOUT).view(inView, cutoff).partials());
            return new View(batch, PLAN.newEntity());
        }
    }
}
