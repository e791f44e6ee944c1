package io.tessera.speed.lookup;

import io.tessera.featurestore.merge.RealtimePartials;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.serving.store.RealtimeRow;
import io.tessera.speed.source.DecodedRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A record with what the serving tables held for its key when it was looked up: the version of the batch
 * view serving and the key's partials in it (their stored bytes), and the key's realtime rows of earlier
 * speed-layer generations that view does not cover. A Flink POJO of plain arrays: it crosses from the
 * lookup to the scoring operator (a two-input operator, never chained) without Kryo, and the scoring side
 * decodes the batch partials once per key and view version.
 */
public final class LookedUp {

    public DecodedRecord record;
    /** The view serving, 0 if none was (or it was computed under another plan). */
    public long viewVersion;
    /** The key's partials in that view, or null if it does not hold the key. */
    public byte[] batch;
    public long[] olderGenerations;
    public long[] olderEpochs;
    public byte[][] olderTiles;

    public LookedUp() {
    }

    LookedUp(DecodedRecord record, long viewVersion, byte[] batch, List<RealtimeRow> older) {
        this.record = record;
        this.viewVersion = viewVersion;
        this.batch = batch;
        this.olderGenerations = new long[older.size()];
        this.olderEpochs = new long[older.size()];
        this.olderTiles = new byte[older.size()][];
        for (int i = 0; i < older.size(); i++) {
            olderGenerations[i] = older.get(i).generation();
            olderEpochs[i] = older.get(i).epoch();
            olderTiles[i] = older.get(i).partials();
        }
    }

    /** The earlier generations' rows, decoded. */
    public List<RealtimePartials> olderGenerations(FeaturePlan plan) {
        List<RealtimePartials> rows = new ArrayList<>(olderTiles.length);
        for (int i = 0; i < olderTiles.length; i++) {
            rows.add(new RealtimePartials(olderGenerations[i], olderEpochs[i], EntityTilesCodec.decode(plan, olderTiles[i])));
        }
        return rows;
    }
}
