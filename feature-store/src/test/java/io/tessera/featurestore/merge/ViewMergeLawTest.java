package io.tessera.featurestore.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventOrder;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.featurestore.vector.FeatureVectorTestBase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The central law (docs/architecture.md, "Exact windows across the cut"): for a key, the batch partials
 * of lake snapshot S merged with the realtime partials the cut of S does not cover give, at any read
 * time, the vector a recomputation from all its events gives; no gap, no double count.
 *
 * <p>Lives of the speed layer are played at random by {@link SpeedHistory} (aborted checkpoints, file
 * ingests, bounded ends, crashes restored or restarted without state, late events), S is any of the
 * snapshots they made, its cut is read from the summaries of S and its ancestors as the batch layer
 * reads them, and the batch view is built by the batch layer's own {@link EntityTimeline} with a random
 * cutoff. Encoding and decoding of both halves are part of the law. Reads before the batch view's
 * horizon must fail, never answer.
 */
class ViewMergeLawTest {

    private static final PipelineSpec SPEC = PipelineSpecs.parse("""
            pipeline: merge_law
            entity: { name: card, key: card }
            source:
              topic: t
              format: json
              timestamp: { field: ts, format: epoch_millis }
              fields: { card: string, amt: double, word: string, minutes: double }
              max_lateness: 20s
            features:
              tile: 10s
              aggregations:
                - { name: n, op: count, windows: [10s, 30s] }
                - { name: positive, op: count, where: "amt > 0.0", windows: [30s] }
                - { name: total, op: sum, of: amt, windows: [30s, 50s] }
                - { name: avg, op: mean, of: amt, windows: [50s], default: -1 }
                - { name: low, op: min, of: amt, windows: [30s] }
                - { name: high, op: max, of: amt, windows: [10s] }
                - { name: words, op: approx_distinct, of: word, windows: [50s] }
                - { name: latest, op: last, of: amt }
                - { name: ever, op: count }
                - { name: minutes_total, op: sum, of: minutes, windows: [30s] }
                - { name: slow, op: count, where: "minutes > 1.0", windows: [10s] }
                - { name: minutes_latest, op: last, of: minutes }
              event:
                - { name: amt, of: amt }
            label: { field: minutes, known_after: 15s }
            model: { task: regression, algorithm: gbt }
            """, "merge-law.yaml");
    private static final FeaturePlan PLAN = FeaturePlan.of(SPEC);
    private static final FeatureLayout LAYOUT = FeatureLayout.of(SPEC, Map.of());
    private static final ViewMerge MERGE = new ViewMerge(PLAN, LAYOUT);
    private static final String[] WORDS = {"a", "b", "c", "d", "e"};
    /** The label: the last three aggregations read it, so they see an event 15 s (1.5 tiles) after its time. */
    private static final double[] MINUTES = {0.5, 1.0, 2.0};
    private static final long SECOND = 1000;

    /**
     * Generated times are whole seconds, so ties and tile edges are common; most are moved a little off
     * the second (by 1 ms or half a second) so that reads inside a tile and just after an event happen too.
     */
    private static long millis(long seconds) {
        return seconds * SECOND + Math.floorMod(seconds, 3) * 499;
    }

    /** One generated life: events (time, amount, word, from a file?), the snapshot S taken, read times, a seed. */
    record Case(List<Long> times, long seed, int snapshotPick, long cutoff, List<Long> readOffsets) {
    }

    @Provide
    Arbitrary<Case> lives() {
        Arbitrary<List<Long>> times = Arbitraries.longs().between(0, 160).list().ofMinSize(1).ofMaxSize(45);
        Arbitrary<List<Long>> reads = Arbitraries.longs().between(-30, 200).list().ofMinSize(1).ofMaxSize(6);
        return Combinators.combine(times, Arbitraries.longs(), Arbitraries.integers().between(0, 1000),
                Arbitraries.longs().between(-10, 170), reads).as(Case::new);
    }

    @Property(tries = 2500)
    void batchOfTheSnapshotPlusUncoveredRealtimeEqualsRecomputation(@ForAll("lives") Case c) {
        Random random = new Random(c.seed());
        int n = c.times().size();
        long[] times = c.times().stream().mapToLong(ViewMergeLawTest::millis).toArray();
        boolean[] fromFiles = new boolean[n];
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fromFiles[i] = random.nextInt(4) == 0;
            double amount = (random.nextInt(2001) - 1000) / 8.0;
            double minutes = MINUTES[random.nextInt(MINUTES.length)];
            events.add(new Event(times[i], Map.of("card", "k", "amt", amount, "word", WORDS[random.nextInt(WORDS.length)], "minutes", minutes)));
        }
        SpeedHistory history = SpeedHistory.play(times, fromFiles, 20 * SECOND, random);

        // S: any snapshot; the events it holds are the history's own bookkeeping, not the cut's
        int s = c.snapshotPick() % history.snapshots.size();
        Set<Integer> inS = new HashSet<>();
        for (int i = 0; i <= s; i++) {
            inS.addAll(history.snapshots.get(i).added());
        }
        ServingCut cut = cutOf(history.snapshots.subList(0, s + 1));

        // the view of S holds the events its cut covers (file ingests' always), as the batch layer's BatchFeatures.heldBy
        Set<Integer> heldByS = new HashSet<>();
        for (int event : inS) {
            SpeedHistory.RowKey tag = history.lineage.get(event);
            if (tag == null ? cut.holds(null, null) : cut.holds(tag.generation(), tag.epoch())) {
                heldByS.add(event);
            }
        }
        BatchPartials batch = null;
        if (!heldByS.isEmpty()) {
            List<Event> held = heldByS.stream().map(events::get).sorted(EventOrder.COMPARATOR).toList();
            byte[] stored = new EntityTimeline(PLAN, LAYOUT).view(held, millis(c.cutoff())).partials();
            batch = BatchPartials.decode(PLAN, stored);
        }
        List<RealtimePartials> rows = new ArrayList<>();
        Set<Integer> inRows = new HashSet<>();
        history.rows.forEach((key, ids) -> {
            EntityTiles tiles = PLAN.newEntity();
            ids.forEach(id -> PLAN.add(tiles, events.get(id), Long.MIN_VALUE));
            rows.add(new RealtimePartials(key.generation(), key.epoch(), EntityTilesCodec.decode(PLAN, EntityTilesCodec.encode(PLAN, tiles))));
            inRows.addAll(ids);
        });
        EntityTiles realtime = MERGE.uncovered(rows, cut);

        // what the platform knows of: S, and every event still in a realtime row; each event once
        Set<Integer> known = new HashSet<>(inS);
        known.addAll(inRows);
        List<Event> truth = known.stream().sorted().map(events::get).toList();
        EntityTiles reference = PLAN.newEntity();
        truth.stream().sorted(Comparator.comparingLong(Event::time)).forEach(e -> PLAN.add(reference, e, Long.MIN_VALUE));

        statistics(history, cut, rows, inS, s);
        Statistics.label("reads").coverage(k -> k.check("answered").percentage(p -> p > 30));
        Statistics.label("events of S the view leaves to realtime rows").collect(heldByS.size() < inS.size());
        Statistics.label("events of S the view leaves to realtime rows").coverage(k -> k.check(true).percentage(p -> p > 5));
        Statistics.label("a bucket of rows merged").collect(history.seen.containsKey("bucket merged"));
        Statistics.label("a bucket of rows merged").coverage(k -> k.check(true).percentage(p -> p > 20));
        for (long offset : c.readOffsets()) {
            long readTime = readTime(offset, times, random);
            Event scored = new Event(readTime, Map.of("card", "k", "amt", 1.5, "word", "a", "minutes", 1.0));
            if (batch != null && readTime < batch.horizon()) {
                BatchPartials before = batch;
                assertThatThrownBy(() -> MERGE.vector(before, realtime, readTime, scored)).isInstanceOf(BeforeHorizonException.class);
                Statistics.label("reads").collect("before the horizon: refused");
                continue;
            }
            Statistics.label("reads").collect(batch == null ? "answered, realtime only" : "answered");
            double[] merged = MERGE.vector(batch, realtime, readTime, scored);
            assertThat(merged).as("read at %d, cut %s, S = snapshot %d", readTime, cut, s)
                    .containsExactly(LAYOUT.assemble(reference, readTime, scored));
            FeatureVectorTestBase.assertVectorMatchesOracle(SPEC, LAYOUT, merged, truth, readTime, scored);
        }
    }

    /** The cut as the batch layer reads it: the lineage of the newest ancestor that has one. */
    private static ServingCut cutOf(List<SpeedHistory.Snapshot> ancestry) {
        for (int i = ancestry.size() - 1; i >= 0; i--) {
            Optional<SnapshotLineage> lineage = SnapshotLineage.fromSummary(i, ancestry.get(i).summary());
            if (lineage.isPresent()) {
                return lineage.get().cut();
            }
        }
        return ServingCut.NONE;
    }

    /** Anywhere, on an event's time, just after one, or on a tile boundary. */
    private static long readTime(long offset, long[] times, Random random) {
        long eventTime = times[random.nextInt(times.length)];
        return switch (random.nextInt(4)) {
            case 0 -> eventTime;
            case 1 -> eventTime + 1;
            case 2 -> Math.floorDiv(eventTime, 10 * SECOND) * 10 * SECOND;
            default -> millis(offset);
        };
    }

    private static void statistics(SpeedHistory history, ServingCut cut, List<RealtimePartials> rows, Set<Integer> inS, int s) {
        boolean rowAtTheCut = rows.stream().anyMatch(r -> r.generation() == cut.generation() && r.epoch() == cut.checkpoint());
        boolean coveredRow = rows.stream().anyMatch(r -> cut.covers(r.generation(), r.epoch()));
        boolean uncoveredRow = rows.stream().anyMatch(r -> !cut.covers(r.generation(), r.epoch()));
        Statistics.label("a realtime row at the cut's own checkpoint").collect(rowAtTheCut);
        Statistics.label("a realtime row at the cut's own checkpoint").coverage(k -> k.check(true).percentage(p -> p > 10));
        Statistics.label("covered and uncovered rows").collect(coveredRow && uncoveredRow);
        Statistics.label("covered and uncovered rows").coverage(k -> k.check(true).percentage(p -> p > 20));
        Statistics.label("cut").collect(cut.generation() == 0 ? "none" : cut.complete() ? "complete" : cut.generation() > 1 ? "later generation" : "generation 1");
        Statistics.label("cut").coverage(k -> {
            k.check("complete").percentage(p -> p > 3);
            k.check("later generation").percentage(p -> p > 10);
        });
        Statistics.label("history").collect(history.seen.containsKey("restart without state") ? "restarted" : "-",
                history.seen.containsKey("restore from latest checkpoint") ? "restored" : "-");
        Statistics.label("late events").collect(!history.late.isEmpty());
        Statistics.label("S holds events").collect(!inS.isEmpty());
    }
}
