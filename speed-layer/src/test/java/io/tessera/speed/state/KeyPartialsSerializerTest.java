package io.tessera.speed.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tessera.featurestore.contract.EpochBuckets;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.event.DecodeResult;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventDecoder;
import io.tessera.featurestore.merge.RealtimePartials;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.serving.store.MergedBucket;
import io.tessera.serving.store.RealtimeRow;
import io.tessera.speed.Examples;
import io.tessera.speed.job.SpecText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A key's state checkpoints the encodings it keeps per row: they must be those of the row's tiles as they
 * are at the checkpoint, whatever was added since the row was last encoded for the realtime view; and a
 * bucket's rows merged into one stay, through a checkpoint and a view, what the rows were.
 */
class KeyPartialsSerializerTest {

    private static final long T0 = 1_373_155_200_000L;   // 2013-07-07T00:00:00Z
    private static final String CARD = "4000000000000001";

    private KeyPartialsSerializer serializer;
    private FeaturePlan plan;
    private EventDecoder decoder;

    @BeforeEach
    void setUp() throws IOException {
        Path spec = Examples.cardFraudSpec();
        SpecText text = new SpecText(Files.readString(spec), spec.toString());
        serializer = new KeyPartialsSerializer(text);
        plan = FeaturePlan.of(text.parse());
        decoder = EventDecoder.of(text.parse(), Clock.fixed(Instant.ofEpochMilli(T0 + 86_400_000L), ZoneOffset.UTC));
    }

    @Test
    void aCheckpointWritesARowAsItIsNotAsItWasLastEncoded() throws IOException {
        KeyPartials state = KeyPartials.empty(plan);
        add(state, 1, event(0, 12.5, "m1"));
        add(state, 1, event(1, 80.0, "m2"));
        byte[] encodedForTheView = state.encodeNewestRow(plan);
        add(state, 1, event(2, 3.0, "m3"));   // changed after its last encoding, not encoded again before the checkpoint
        add(state, 2, event(3, 45.0, "m1"));
        state.encodeNewestRow(plan);

        KeyPartials restored = roundTrip(state);

        assertEquals(2, restored.rows(plan).size());
        assertFalse(Arrays.equals(encodedForTheView, encoded(restored.rows(plan).get(0))), "the checkpoint holds the row's third event");
        for (int i = 0; i < 2; i++) {
            RealtimePartials original = state.rows(plan).get(i);
            RealtimePartials back = restored.rows(plan).get(i);
            assertEquals(original.epoch(), back.epoch());
            assertArrayEquals(encoded(original), encoded(back), "row " + i);
        }
        assertArrayEquals(EntityTilesCodec.encode(plan, state.uncovered()), EntityTilesCodec.encode(plan, restored.uncovered()));
    }

    @Test
    void theTaskGoesOnWithACopyAndTheSnapshotWritesTheStateAsItWasWhenCopied() throws IOException {
        KeyPartials state = KeyPartials.empty(plan);
        KeyPartials twin = KeyPartials.empty(plan);   // the same events, never copied: what the snapshot must write
        for (KeyPartials s : java.util.List.of(state, twin)) {
            add(s, 1, event(0, 12.5, "m1"));
            s.encodeNewestRow(plan);
            add(s, 2, event(1, 80.0, "m2"));   // a row not encoded since it changed
        }

        KeyPartials copy = serializer.copy(state);
        add(copy, 2, event(2, 99.0, "m9"));
        copy.encodeNewestRow(plan);
        add(copy, 3, event(3, 7.0, "m3"));

        assertArrayEquals(bytes(twin), bytes(state), "the snapshot's state is as it was when the task took its copy");
        add(twin, 2, event(2, 99.0, "m9"));
        add(twin, 3, event(3, 7.0, "m3"));
        assertArrayEquals(bytes(twin), bytes(copy), "the copy holds every event");
        assertArrayEquals(EntityTilesCodec.encode(plan, twin.uncovered()), EntityTilesCodec.encode(plan, copy.uncovered()));
        assertArrayEquals(EntityTilesCodec.encode(plan, copy.uncovered()), EntityTilesCodec.encode(plan, roundTrip(copy).uncovered()));
    }

    @Test
    void aNewViewRebuildsTheMergeFromTheRowsItDoesNotCoverThoughEarlierRowsKeepOnlyTheirEncoding() throws IOException {
        KeyPartials state = KeyPartials.empty(plan);
        Event[] events = {event(0, 12.5, "m1"), event(1, 80.0, "m2"), event(2, 3.0, "m3"), event(3, 45.0, "m1"), event(4, 9.0, "m4")};
        long[] epochs = {1, 1, 2, 3, 3};
        for (int i = 0; i < events.length; i++) {
            add(state, epochs[i], events[i]);   // each new epoch leaves the row before it as its encoding alone
        }
        KeyPartials restored = roundTrip(state);

        state.moveTo(1, new ServingCut(1, 1), plan);
        restored.moveTo(1, new ServingCut(1, 2), plan);

        EntityTiles epochsTwoAndThree = plan.newEntity();
        EntityTiles epochThree = plan.newEntity();
        for (int i = 0; i < events.length; i++) {
            if (epochs[i] >= 2) {
                plan.add(epochsTwoAndThree, events[i], Long.MIN_VALUE);
            }
            if (epochs[i] == 3) {
                plan.add(epochThree, events[i], Long.MIN_VALUE);
            }
        }
        assertArrayEquals(EntityTilesCodec.encode(plan, epochsTwoAndThree), EntityTilesCodec.encode(plan, state.uncovered()));
        assertArrayEquals(EntityTilesCodec.encode(plan, epochThree), EntityTilesCodec.encode(plan, restored.uncovered()));
        assertEquals(java.util.List.of(2L, 3L), state.rows(plan).stream().map(RealtimePartials::epoch).toList());

        add(state, 3, event(5, 1.0, "m5"));   // the newest row takes events again after the rebuild
        plan.add(epochThree, event(5, 1.0, "m5"), Long.MIN_VALUE);
        assertArrayEquals(EntityTilesCodec.encode(plan, epochThree), state.encodeNewestRow(plan));
    }

    @Test
    void aRowOfOneEventKeptAsItsEncodingTakesASecondEventAsIfItHadKeptItsTiles() throws IOException {
        KeyPartials state = KeyPartials.empty(plan);
        add(state, 1, event(0, 12.5, "m1"));
        state.encodeNewestRow(plan);   // one event: the row keeps its encoding alone
        add(state, 1, event(1, 80.0, "m2"));   // decoded again to take the second
        byte[] busy = state.encodeNewestRow(plan);
        add(state, 1, event(2, 3.0, "m1"));   // busy: it kept its tiles
        byte[] third = state.encodeNewestRow(plan);

        EntityTiles twoEvents = plan.newEntity();
        plan.add(twoEvents, event(0, 12.5, "m1"), Long.MIN_VALUE);
        plan.add(twoEvents, event(1, 80.0, "m2"), Long.MIN_VALUE);
        assertArrayEquals(EntityTilesCodec.encode(plan, twoEvents), busy);
        plan.add(twoEvents, event(2, 3.0, "m1"), Long.MIN_VALUE);
        assertArrayEquals(EntityTilesCodec.encode(plan, twoEvents), third);
        assertArrayEquals(third, encoded(roundTrip(serializer.copy(state)).rows(plan).get(0)), "the checkpoint of a copy holds every event");
    }

    @Test
    void theRowsOfABucketACompletedCheckpointClosedMergeIntoOneRowThatACheckpointAndAViewTreatAsThem() throws IOException {
        EpochBuckets three = new EpochBuckets(3);
        KeyPartials state = KeyPartials.empty(plan);
        long[] epochs = {1, 2, 2, 3, 4, 5, 7};
        Event[] events = new Event[epochs.length];
        for (int i = 0; i < epochs.length; i++) {
            events[i] = event(i, 10.0 + i, "m" + (i % 3));
            add(state, epochs[i], events[i]);
        }
        byte[] uncovered = EntityTilesCodec.encode(plan, state.uncovered());

        assertEquals(java.util.List.of(), state.mergeClosedBuckets(CARD, 1, new EpochBuckets(7), 99, plan), "6 rows, no more than a bucket's 7 epochs: not merged");
        assertEquals(java.util.List.of(), state.mergeClosedBuckets(CARD, 1, three, 2, plan), "epochs 1-3 are not over at checkpoint 2");
        assertEquals(java.util.List.of(), state.mergeClosedBuckets(CARD, 2, three, 9, plan), "another generation's rows are left");
        java.util.List<MergedBucket> merged = state.mergeClosedBuckets(CARD, 1, three, 3, plan);

        assertEquals(1, merged.size());
        assertEquals(new RealtimeRow(CARD, 1, 3, merged.get(0).row().partials()), merged.get(0).row());
        assertEquals(1, merged.get(0).firstEpoch());
        assertArrayEquals(EntityTilesCodec.encode(plan, tilesOf(events, epochs, 1, 3)), merged.get(0).row().partials());
        assertEquals(java.util.List.of(3L, 4L, 5L, 7L), state.rows(plan).stream().map(RealtimePartials::epoch).toList());
        assertArrayEquals(uncovered, EntityTilesCodec.encode(plan, state.uncovered()), "merging rows changes nothing the key reads");

        assertEquals(6, state.mergeClosedBuckets(CARD, 1, three, 7, plan).get(0).row().epoch(), "epochs 4 and 5 end at 6");
        assertEquals(java.util.List.of(), state.mergeClosedBuckets(CARD, 1, three, 7, plan), "3 rows, no more than a bucket's epochs");
        KeyPartials restored = roundTrip(state);
        assertEquals(java.util.List.of(3L, 6L, 7L), restored.rows(plan).stream().map(RealtimePartials::epoch).toList());

        restored.moveTo(1, new ServingCut(1, 6), plan);
        assertArrayEquals(EntityTilesCodec.encode(plan, tilesOf(events, epochs, 7, 7)), EntityTilesCodec.encode(plan, restored.uncovered()),
                "a view cut at a bucket's end drops its merged rows whole");
    }

    private EntityTiles tilesOf(Event[] events, long[] epochs, long from, long to) {
        EntityTiles tiles = plan.newEntity();
        for (int i = 0; i < events.length; i++) {
            if (epochs[i] >= from && epochs[i] <= to) {
                plan.add(tiles, events[i], Long.MIN_VALUE);
            }
        }
        return tiles;
    }

    private byte[] bytes(KeyPartials state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(state, out);
        return out.getCopyOfBuffer();
    }

    private void add(KeyPartials state, long epoch, Event event) {
        EntityTiles row = state.row(1, epoch, plan);
        plan.add(row, event, Long.MIN_VALUE);
        plan.add(state.uncovered(), event, Long.MIN_VALUE);
    }

    private KeyPartials roundTrip(KeyPartials state) throws IOException {
        byte[] bytes = bytes(state);
        return serializer.deserialize(new DataInputDeserializer(bytes, 0, bytes.length));
    }

    private byte[] encoded(RealtimePartials row) {
        return EntityTilesCodec.encode(plan, row.tiles());
    }

    private Event event(int minute, double amount, String merchant) {
        DecodeResult decoded = decoder.decode(Map.of("cc_num", CARD, "amt", amount, "category", "travel", "merchant", merchant,
                "city_pop", 5000L, "is_fraud", 0, "unix_time", (T0 + minute * 60_000L) / 1000));
        return ((DecodeResult.Accepted) decoded).event();
    }
}
