package io.tessera.serving.store;

import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotRef;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.merge.EntityTimeline;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test fixture: a small card spec named after the test's keyspace, and views of it built as the batch layer builds them. */
public final class ServingFixtures {

    public static final long HOUR = 3_600_000L;
    public static final long T0 = 1_700_000_000_000L / HOUR * HOUR;

    private ServingFixtures() {
    }

    public static PipelineSpec spec(String pipeline) {
        return PipelineSpecs.parse("""
                pipeline: %s
                entity: { name: card, key: card }
                source:
                  topic: t
                  format: json
                  timestamp: { field: ts, format: epoch_millis }
                  fields: { card: string, amt: double, merchant: string, fraud: int }
                  max_lateness: 1h
                features:
                  tile: 1h
                  aggregations:
                    - { name: n, op: count, windows: [1h, 24h] }
                    - { name: total, op: sum, of: amt, windows: [24h] }
                    - { name: avg, op: mean, of: amt, windows: [24h] }
                    - { name: top, op: max, of: amt, windows: [24h] }
                    - { name: merchants, op: approx_distinct, of: merchant, windows: [24h] }
                    - { name: latest, op: last, of: amt }
                  event:
                    - { name: amt, of: amt }
                label: { field: fraud }
                model: { task: binary_classification, algorithm: logistic_regression }
                serving: { view: %s }
                """.formatted(pipeline, pipeline), pipeline + ".yaml");
    }

    public static Event event(String card, long time, double amt, String merchant) {
        return new Event(time, Map.of("card", card, "amt", amt, "merchant", merchant, "fraud", 0L));
    }

    public static PublishedView view(PipelineSpec spec, long version, long sequence, long cutoff, ServingCut cut, long entities) {
        return view(spec, version, sequence, cutoff, cut, entities, new ChampionRef(spec.name(), 1, "/models/v1/model.json", "00"));
    }

    public static PublishedView view(PipelineSpec spec, long version, long sequence, long cutoff, ServingCut cut, long entities, ChampionRef champion) {
        return new PublishedView(spec.name(), version, new SnapshotRef(1000 + sequence, sequence, T0 + sequence), cut, cutoff,
                Optional.of(champion), Optional.empty(), spec.fingerprint(),
                FeaturePlan.of(spec).fingerprint(), FeatureLayout.of(spec, Map.of()).fingerprint(),
                FeatureLayout.of(spec, Map.of()).names(), Map.of(), entities, T0);
    }

    /** The batch view rows of a set of events, one per key, as the batch layer's Spark job computes them. */
    public static List<BatchViewRow> rows(PipelineSpec spec, Map<String, List<Event>> byKey, long cutoff, double score) {
        EntityTimeline timeline = new EntityTimeline(FeaturePlan.of(spec), FeatureLayout.of(spec, Map.of()));
        List<BatchViewRow> rows = new ArrayList<>();
        byKey.forEach((key, events) -> {
            List<Event> sorted = events.stream().sorted(Comparator.comparingLong(Event::time)).toList();
            EntityTimeline.KeyView view = timeline.view(sorted, cutoff);
            rows.add(new BatchViewRow(key, view.partials(), view.events(), view.newestEvent().time(), view.newestEventVector(),
                    Optional.of(score)));
        });
        return rows;
    }
}
