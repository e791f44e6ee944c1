package io.tessera.featurestore.tile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A tile set keeps the encoding of its slices but the newest ({@code TileSet.writeSlices}), so that a key's
 * row encoded per event costs one slice: whatever happens to the tiles between two encodings (events in
 * order, at the newest instant, out of order, maintenance, a merge from storage), the bytes are those of
 * tiles that never kept anything.
 */
class KeptEncodingTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000L;
    private static final PipelineSpec SPEC = PipelineSpecs.parse("""
            pipeline: kept_encoding
            entity: { name: card, key: card }
            source:
              topic: t
              format: json
              timestamp: { field: ts, format: epoch_millis }
              fields: { card: string, amt: double, merchant: string, fraud: int }
              max_lateness: 30m
            features:
              tile: 10m
              aggregations:
                - { name: n, op: count, windows: [1h] }
                - { name: total, op: sum, of: amt, windows: [1h] }
                - { name: avg, op: mean, of: amt, windows: [1h] }
                - { name: top, op: max, of: amt, windows: [1h] }
                - { name: merchants, op: approx_distinct, of: merchant, windows: [1h] }
                - { name: latest, op: last, of: amt }
            label: { field: fraud }
            model: { task: binary_classification, algorithm: gbt }
            """, "kept_encoding.yaml");
    private static final FeaturePlan PLAN = FeaturePlan.of(SPEC);

    @Property(tries = 200)
    void theRowEncodedAfterEachStepIsTheRowOfFreshTiles(@ForAll("lives") List<Step> life) {
        EntityTiles kept = PLAN.newEntity();
        List<Consumer<EntityTiles>> done = new ArrayList<>();
        for (Step step : life) {
            Consumer<EntityTiles> change = step.change();
            change.accept(kept);
            done.add(change);
            EntityTiles fresh = PLAN.newEntity();
            done.forEach(c -> c.accept(fresh));
            assertThat(EntityTilesCodec.encode(PLAN, kept)).as("after %s", done.size()).isEqualTo(EntityTilesCodec.encode(PLAN, fresh));
        }
    }

    /** One thing that can happen to a key's tiles; applied to a copy, it must do the same. */
    record Step(int kind, long minutes, double amount, int merchant) {

        Consumer<EntityTiles> change() {
            Event event = new Event(T0 + minutes * MINUTE + kind, Map.of("card", "c", "amt", amount, "merchant", "m" + merchant));
            return switch (kind) {
                case 0, 1, 2 -> tiles -> PLAN.add(tiles, event, Long.MIN_VALUE);   // at any time: in order, same instant or older
                case 3 -> tiles -> PLAN.maintain(tiles, tiles.watermark());
                default -> tiles -> {
                    EntityTiles stored = PLAN.newEntity();
                    PLAN.add(stored, event, Long.MIN_VALUE);
                    tiles.mergeFrom(EntityTilesCodec.decode(PLAN, EntityTilesCodec.encode(PLAN, stored)));
                };
            };
        }
    }

    @Provide
    Arbitrary<List<Step>> lives() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 5),
                Arbitraries.longs().between(0, 120),
                Arbitraries.doubles().between(-50, 500).ofScale(2),
                Arbitraries.integers().between(0, 20)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(40);
    }
}
