package io.tessera.featurestore.tile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.aggregate.Op;
import io.tessera.featurestore.time.Admission;
import io.tessera.featurestore.time.TileGrid;
import io.tessera.featurestore.time.TimeSpan;
import io.tessera.featurestore.time.Window;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The window edges and the life of a tile, on small hand-made examples (tile = 10 ms). */
class TileSetTest {

    private static final TileGrid GRID = new TileGrid(10);
    private static final Window LAST_20 = new Window.Trailing(Duration.ofMillis(20), "20ms");

    @Test
    void theWindowEndIsExclusiveEvenForEventsArrivingAfterTheRead() {
        TileSet tiles = new TileSet(Op.COUNT, GRID);
        tiles.addEvent(42);
        tiles.addEvent(45);
        tiles.addEvent(45);
        tiles.addEvent(47);

        assertThat(tiles.read(LAST_20, 45).finish()).isEqualTo(1.0);
        assertThat(tiles.read(LAST_20, 46).finish()).isEqualTo(3.0);
        assertThat(tiles.read(LAST_20, 48).finish()).isEqualTo(4.0);
    }

    @Test
    void theWindowStartSnapsDownToATileBoundary() {
        TileSet tiles = new TileSet(Op.COUNT, GRID);
        tiles.addEvent(19);
        tiles.addEvent(20);
        tiles.addEvent(29);

        // read at 45: floor_10(45 - 20) = 20, so [20, 45) holds 20 and 29, not 19
        assertThat(tiles.read(LAST_20, 45).finish()).isEqualTo(2.0);
        // read at 40: floor_10(20) = 20: the window is exactly 20 ms
        assertThat(tiles.read(LAST_20, 40).finish()).isEqualTo(2.0);
        // read at 39: floor_10(19) = 10: [10, 39) holds all three, 29 ms of history
        assertThat(tiles.read(LAST_20, 39).finish()).isEqualTo(3.0);
    }

    @Test
    void eventsBeforeTheSealBoundaryAreRejectedAsLate() {
        TileSet tiles = new TileSet(Op.SUM, GRID);
        tiles.addNumber(1.0, 25);
        tiles.seal(30);

        assertThat(tiles.addNumber(2.0, 29)).isEqualTo(Admission.LATE);
        assertThat(Admission.LATE.reason()).isEqualTo("late");
        assertThat(tiles.addNumber(4.0, 30)).isEqualTo(Admission.ACCEPTED);
        assertThat(tiles.read(new Window.Lifetime(), 100).finish()).isEqualTo(5.0);
    }

    @Test
    void sealingCollapsesATileIntoOneSlice() {
        TileSet tiles = new TileSet(Op.COUNT, GRID);
        tiles.addEvent(21);
        tiles.addEvent(22);
        tiles.addEvent(35);

        tiles.seal(30);

        assertThat(tiles.slices()).containsOnlyKeys(new TimeSpan(20, 30), TimeSpan.instant(35));
        assertThat(tiles.slices().get(new TimeSpan(20, 30)).finish()).isEqualTo(2.0);
    }

    @Test
    void aReadInsideASealedTileIsRefusedNotApproximated() {
        TileSet tiles = new TileSet(Op.COUNT, GRID);
        tiles.addEvent(21);
        tiles.addEvent(28);
        tiles.seal(30);

        assertThatThrownBy(() -> tiles.read(LAST_20, 25))
                .isInstanceOf(InexactReadException.class)
                .hasMessageStartingWith("slice [20, 30) straddles the edge of window [0, 25)");
    }

    @Test
    void batchAndRealtimeSlicesOfOneTileCoexist() {
        TileSet batch = new TileSet(Op.COUNT, GRID);
        batch.addEvent(21);
        batch.seal(30);
        TileSet realtime = new TileSet(Op.COUNT, GRID);
        realtime.addEvent(25);
        realtime.addEvent(31);

        batch.mergeFrom(realtime);

        assertThat(batch.slices()).containsOnlyKeys(new TimeSpan(20, 30), TimeSpan.instant(25), TimeSpan.instant(31));
        assertThat(batch.read(LAST_20, 32).finish()).isEqualTo(3.0);
    }

    @Test
    void evictionDropsOnlyWhatNoWindowCanReach() {
        TileSet tiles = new TileSet(Op.COUNT, GRID);
        tiles.addEvent(5);
        tiles.addEvent(15);
        tiles.addEvent(25);
        tiles.seal(20);

        tiles.evictBefore(10);

        assertThat(tiles.slices()).containsOnlyKeys(new TimeSpan(10, 20), TimeSpan.instant(25));
    }

    @Test
    void aLifetimeAggregateFoldsItsPastIntoOnePrefix() {
        TileSet tiles = new TileSet(Op.LAST, GRID);
        tiles.addNumber(1.0, 5);
        tiles.addNumber(2.0, 15);
        tiles.addNumber(3.0, 25);

        tiles.foldBefore(20);

        assertThat(tiles.slices()).containsOnlyKeys(new TimeSpan(Long.MIN_VALUE, 20), TimeSpan.instant(25));
        assertThat(tiles.read(new Window.Lifetime(), 25).finish()).isEqualTo(2.0);
        assertThat(tiles.read(new Window.Lifetime(), 26).finish()).isEqualTo(3.0);
        assertThatThrownBy(() -> tiles.read(new Window.Lifetime(), 19)).isInstanceOf(InexactReadException.class);
        assertThatThrownBy(() -> tiles.read(LAST_20, 30)).isInstanceOf(InexactReadException.class);
    }

    @Test
    void storedSlicesMustStayInsideOneTile() {
        TileSet tiles = new TileSet(Op.COUNT, GRID);

        assertThatThrownBy(() -> tiles.put(new TimeSpan(15, 25), Op.COUNT.newPartial()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slice [15, 25) spans more than one tile of 10 ms");
        assertThatThrownBy(() -> tiles.put(new TimeSpan(10, 20), Op.SUM.newPartial()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a sum partial in a count tile set");
    }

    @Test
    void valuesMustMatchTheOpsInput() {
        TileSet sums = new TileSet(Op.SUM, GRID);

        assertThatThrownBy(() -> sums.addEvent(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("op sum takes NUMBER, not NONE");
        assertThatThrownBy(() -> sums.addNumber(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
