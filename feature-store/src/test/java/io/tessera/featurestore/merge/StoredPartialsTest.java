package io.tessera.featurestore.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.aggregate.PartialFormatException;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.tile.PlanMismatchException;
import io.tessera.featurestore.vector.FeatureLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stored forms of a key's partials distrust what they read: another plan, a truncation, a flipped byte. */
class StoredPartialsTest {

    private static final String SPEC = """
            pipeline: stored
            entity: { name: card, key: card }
            source:
              topic: t
              format: json
              timestamp: { field: ts, format: epoch_millis }
              fields: { card: string, amt: double, word: string, minutes: double }
              max_lateness: 1h
            features:
              tile: 1h
              aggregations:
                - { name: n, op: count, windows: [1h, 24h] }
                - { name: total, op: sum, of: amt, windows: [24h] }
                - { name: words, op: approx_distinct, of: word, windows: [24h] }
                - { name: latest, op: last, of: amt }
            label: { field: minutes }
            model: { task: regression, algorithm: gbt }
            """;
    private static final PipelineSpec PIPELINE = PipelineSpecs.parse(SPEC, "stored.yaml");
    private static final FeaturePlan PLAN = FeaturePlan.of(PIPELINE);

    private static List<Event> events() {
        Random random = new Random(7);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(new Event(1_700_000_000_000L + i * 600_000L, Map.of("card", "k", "amt", random.nextInt(100) / 4.0,
                    "word", "w" + random.nextInt(30), "minutes", 1.0)));
        }
        return events;
    }

    @Test
    void aBatchViewKeepsOnlyWhatReadsAfterItsHorizonNeedAndReadsItBack() {
        List<Event> events = events();
        FeatureLayout layout = FeatureLayout.of(PIPELINE, Map.of());
        byte[] stored = new EntityTimeline(PLAN, layout).view(events, 0).partials();
        BatchPartials view = BatchPartials.decode(PLAN, stored);
        long newest = events.get(events.size() - 1).time();

        assertThat(view.watermark()).isEqualTo(newest);
        assertThat(view.horizon()).isEqualTo(Math.floorDiv(newest - 3_600_000L, 3_600_000L) * 3_600_000L);
        EntityTiles all = PLAN.newEntity();
        events.forEach(e -> PLAN.add(all, e));
        ViewMerge merge = new ViewMerge(PLAN, layout);
        for (long t : new long[] {view.horizon(), newest, newest + 1, newest + 7_200_000L, newest + 86_400_000L * 2}) {
            assertThat(merge.vector(view, null, t, null)).as("at %d", t).containsExactly(layout.assemble(all, t, null));
        }
        // 33 hours of events, 24h windows: the view holds about a day of tiles, not the key's whole history
        assertThat(stored.length).isLessThan(EntityTilesCodec.encode(PLAN, all).length);
    }

    @Test
    void partialsOfAnotherPlanAreRefused() {
        FeaturePlan other = FeaturePlan.of(PipelineSpecs.parse(SPEC.replace("windows: [1h, 24h]", "windows: [2h, 24h]"), "other.yaml"));
        EntityTiles tiles = PLAN.newEntity();
        events().forEach(e -> PLAN.add(tiles, e));

        assertThatThrownBy(() -> EntityTilesCodec.decode(other, EntityTilesCodec.encode(PLAN, tiles)))
                .isInstanceOf(PlanMismatchException.class).hasMessageContaining("written under another feature plan");
        assertThatThrownBy(() -> BatchPartials.decode(other, BatchPartials.encode(PLAN, tiles)))
                .isInstanceOf(PlanMismatchException.class);
    }

    @Test
    void truncatedOrCorruptBytesAreAFormatErrorNeverAWrongAnswer() {
        EntityTiles tiles = PLAN.newEntity();
        events().forEach(e -> PLAN.add(tiles, e));
        byte[] view = BatchPartials.encode(PLAN, tiles);
        byte[] realtime = EntityTilesCodec.encode(PLAN, tiles);

        for (int cut : new int[] {1, 10, view.length / 2, view.length - 1}) {
            assertThatThrownBy(() -> BatchPartials.decode(PLAN, Arrays.copyOf(view, cut))).isInstanceOf(PartialFormatException.class);
        }
        for (int cut : new int[] {1, 10, realtime.length / 2, realtime.length - 1}) {
            assertThatThrownBy(() -> EntityTilesCodec.decode(PLAN, Arrays.copyOf(realtime, cut))).isInstanceOf(PartialFormatException.class);
        }
        byte[] otherVersion = view.clone();
        otherVersion[0] = 9;
        assertThatThrownBy(() -> BatchPartials.decode(PLAN, otherVersion)).hasMessageContaining("unsupported batch view format version 9");
        byte[] trailing = Arrays.copyOf(realtime, realtime.length + 1);
        assertThatThrownBy(() -> EntityTilesCodec.decode(PLAN, trailing)).hasMessageContaining("1 trailing bytes");
    }
}
