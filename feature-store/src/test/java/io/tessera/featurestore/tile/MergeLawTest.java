package io.tessera.featurestore.tile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.aggregate.DistinctPartial;
import io.tessera.featurestore.aggregate.Events;
import io.tessera.featurestore.aggregate.Events.Ev;
import io.tessera.featurestore.aggregate.Op;
import io.tessera.featurestore.aggregate.Partial;
import io.tessera.featurestore.time.TileGrid;
import io.tessera.featurestore.time.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The merge law (docs/architecture.md, "The contracts that make it one system", exact windows across the
 * cut), on random streams, cutoffs and read times: the tiles of one source merged with the tiles of
 * another equal the recomputation from all raw events, for every op and window.
 * Exact for count, sum, mean, min, max and last; for approx_distinct, equal to the sketch of the raw
 * events and within its documented bounds. Read times land on event times, just after them and on tile
 * boundaries on purpose: an off-by-one at either window edge fails here.
 */
class MergeLawTest {

    /** One generated case. */
    record Case(Op op, long tileMillis, Integer windowTiles, List<Ev> events, long readTime, long cutoff,
                long seed) {

        Window window() {
            return windowTiles == null ? new Window.Lifetime()
                    : new Window.Trailing(Duration.ofMillis(windowTiles * tileMillis), windowTiles + "t");
        }

        Long windowMillis() {
            return windowTiles == null ? null : windowTiles * tileMillis;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Long> tiles = Arbitraries.of(1L, 5L, 10L, 7L);
        Arbitrary<Integer> windows = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(1, 10)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<List<Ev>> streams = Events.streams(120, 40);
        return Combinators.combine(Arbitraries.of(Op.class), tiles, windows, streams,
                        Arbitraries.integers().between(0, 3), Arbitraries.longs().between(-5, 130),
                        Arbitraries.longs().between(-1, 125), Arbitraries.longs())
                .as((op, tile, window, events, readKind, anyTime, cutoff, seed) -> {
                    long readTime = readTime(readKind, anyTime, tile, events, seed);
                    return new Case(op, tile, window, events, readTime, cutoff, seed);
                });
    }

    /** On an event's time, just after one, on a tile boundary, or anywhere. */
    private static long readTime(int kind, long anyTime, long tile, List<Ev> events, long seed) {
        if (events.isEmpty() || kind == 3) {
            return anyTime;
        }
        long eventTime = events.get(new Random(seed).nextInt(events.size())).time();
        return switch (kind) {
            case 0 -> eventTime;
            case 1 -> eventTime + 1;
            default -> Math.floorDiv(eventTime, tile) * tile;
        };
    }

    @Property(tries = 1500)
    void mergeOfTilesBeforeAndAfterACutoffEqualsRecomputation(@ForAll("cases") Case c) {
        List<Ev> batch = c.events().stream().filter(e -> e.time() <= c.cutoff()).toList();
        List<Ev> speed = c.events().stream().filter(e -> e.time() > c.cutoff()).toList();

        assertMergedEqualsRecomputed(c, batch, speed);
    }

    @Property(tries = 1500)
    void mergeOfAnyTwoSourcesEqualsRecomputation(@ForAll("cases") Case c) {
        // The cut between the layers is lake membership, not event time: any split must work.
        Random random = new Random(c.seed());
        List<Ev> batch = new ArrayList<>();
        List<Ev> speed = new ArrayList<>();
        c.events().forEach(e -> (random.nextBoolean() ? batch : speed).add(e));

        assertMergedEqualsRecomputed(c, batch, speed);
    }

    private static void assertMergedEqualsRecomputed(Case c, List<Ev> batchEvents, List<Ev> speedEvents) {
        TileGrid grid = new TileGrid(c.tileMillis());
        Random random = new Random(c.seed() ^ 0x5eed);
        TileSet batch = tilesOf(c.op(), grid, batchEvents, random);
        TileSet speed = tilesOf(c.op(), grid, speedEvents, random);
        // Either source may have sealed any tile that ends at or before the read time's tile.
        sealSomewhereBefore(batch, grid, c.readTime(), random);
        sealSomewhereBefore(speed, grid, c.readTime(), random);

        TileSet merged = new TileSet(c.op(), grid);
        merged.mergeFrom(batch);
        merged.mergeFrom(speed);
        TileSet mergedTheOtherWay = new TileSet(c.op(), grid);
        mergedTheOtherWay.mergeFrom(speed);
        mergedTheOtherWay.mergeFrom(batch);

        Partial read = merged.read(c.window(), c.readTime());
        Partial readTheOtherWay = mergedTheOtherWay.read(c.window(), c.readTime());
        List<Ev> covered = Recompute.inWindow(c.events(), c.windowMillis(), c.readTime(), c.tileMillis());
        boolean eventAtReadTime = c.events().stream().anyMatch(e -> e.time() == c.readTime());
        Statistics.label("an event at the read time").collect(eventAtReadTime);
        Statistics.label("an event at the read time").coverage(k -> k.check(true).percentage(p -> p > 20));
        Statistics.label("events in the window").collect(covered.isEmpty() ? "none" : "some");

        assertThat(read).isEqualTo(readTheOtherWay);
        if (c.op().exact()) {
            assertThat(Double.valueOf(read.finish()))
                    .as("%s over %s read at %d, covering %s", c.op(), c.window(), c.readTime(), covered)
                    .isEqualTo(Double.valueOf(Recompute.exactValue(c.op(), covered)));
        } else {
            DistinctPartial fromRaw = (DistinctPartial) Events.partialOf(c.op(), covered);
            DistinctPartial merges = (DistinctPartial) read;
            assertThat(merges.finish()).isEqualTo(fromRaw.finish());
            long truth = Recompute.distinctWords(covered);
            assertThat((double) truth).isBetween(merges.lowerBound(3), merges.upperBound(3));
        }
    }

    private static TileSet tilesOf(Op op, TileGrid grid, List<Ev> events, Random random) {
        List<Ev> arrival = new ArrayList<>(events);
        Collections.shuffle(arrival, random);
        TileSet tiles = new TileSet(op, grid);
        for (Ev e : arrival) {
            switch (op.input()) {
                case NONE -> tiles.addEvent(e.time());
                case NUMBER -> tiles.addNumber(e.number(), e.time());
                case VALUE -> tiles.addValue(e.word(), e.time());
            }
        }
        return tiles;
    }

    private static void sealSomewhereBefore(TileSet tiles, TileGrid grid, long readTime, Random random) {
        if (random.nextBoolean()) {
            long tilesBack = random.nextInt(20);
            tiles.seal(grid.floor(readTime) - tilesBack * grid.tileMillis());
        }
    }
}
