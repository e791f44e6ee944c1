package io.tessera.featurestore.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventOrder;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.spec.PointInTime;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.featurestore.vector.FeatureVectorTestBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@code point_in_time: ingestion_time}: a key's events arrive in files (one ingest time per file), a
 * later file may hold older events (a backfill). Each event's vector must be the oracle's over exactly the
 * events before its time that were ingested no later than it, whatever the files' order.
 */
class IngestionTimeReplayTest {

    private static final PipelineSpec SPEC = PipelineSpecs.parse("""
            pipeline: as_ingested
            entity: { name: card, key: card }
            source:
              topic: t
              format: json
              timestamp: { field: ts, format: epoch_millis }
              fields: { card: string, amt: double, word: string, minutes: double }
              max_lateness: 20s
            features:
              tile: 10s
              point_in_time: ingestion_time
              aggregations:
                - { name: n, op: count, windows: [10s, 30s] }
                - { name: total, op: sum, of: amt, windows: [30s] }
                - { name: high, op: max, of: amt, windows: [10s] }
                - { name: words, op: approx_distinct, of: word, windows: [50s] }
                - { name: latest, op: last, of: amt }
                - { name: ever, op: count }
                - { name: slow, op: count, where: "minutes > 1.0", windows: [30s] }
              event:
                - { name: amt, of: amt }
            label: { field: minutes, known_after: 15s }
            model: { task: regression, algorithm: gbt }
            """, "as-ingested.yaml");
    private static final FeaturePlan PLAN = FeaturePlan.of(SPEC);
    private static final FeatureLayout LAYOUT = FeatureLayout.of(SPEC, Map.of());
    private static final String[] WORDS = {"a", "b", "c"};

    @Property(tries = 600)
    void eachEventSeesTheEventsBeforeItIngestedNoLaterThanIt(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int size,
            @ForAll @IntRange(min = 1, max = 4) int files) {
        assertThat(SPEC.features().pointInTime()).isEqualTo(PointInTime.INGESTION_TIME);
        Random random = new Random(seed);
        List<EntityTimeline.Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long time = random.nextInt(120) * 1000L + (random.nextBoolean() ? 0 : random.nextInt(1000));
            Event event = new Event(time, Map.of("card", "k", "amt", (random.nextInt(400) - 200) / 4.0,
                    "word", WORDS[random.nextInt(WORDS.length)], "minutes", random.nextBoolean() ? 0.5 : 2.0));
            arrivals.add(new EntityTimeline.Arrival(event, 1_000_000L * random.nextInt(files)));
        }
        Map<Event, List<Event>> visibleTo = new java.util.IdentityHashMap<>();   // equal events may arrive in two files
        for (EntityTimeline.Arrival a : arrivals) {
            visibleTo.put(a.event(), arrivals.stream().filter(b -> b.ingestedAt() <= a.ingestedAt()).map(EntityTimeline.Arrival::event).toList());
        }
        List<Event> seen = new ArrayList<>();

        new EntityTimeline(PLAN, LAYOUT).replayAsIngested(arrivals, (event, vector) -> {
            seen.add(event);
            FeatureVectorTestBase.assertVectorMatchesOracle(SPEC, LAYOUT, vector, visibleTo.get(event), event.time(), event);
        });

        assertThat(seen).containsExactlyInAnyOrderElementsOf(arrivals.stream().map(EntityTimeline.Arrival::event).toList());
    }

    @Property(tries = 200)
    void oneIngestIsTheEventTimeReplay(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int size) {
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            events.add(new Event(random.nextInt(120) * 1000L, Map.of("card", "k", "amt", (double) random.nextInt(50),
                    "word", WORDS[random.nextInt(WORDS.length)], "minutes", 1.0)));
        }
        events.sort(EventOrder.COMPARATOR);
        EntityTimeline timeline = new EntityTimeline(PLAN, LAYOUT);
        Map<Event, double[]> byEventTime = new HashMap<>();
        timeline.replay(events, (event, vector) -> byEventTime.put(event, vector.clone()));

        timeline.replayAsIngested(events.stream().map(e -> new EntityTimeline.Arrival(e, 7L)).toList(),
                (event, vector) -> assertThat(vector).containsExactly(byEventTime.get(event)));
    }
}
