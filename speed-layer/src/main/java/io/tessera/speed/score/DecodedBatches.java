package io.tessera.speed.score;

import io.tessera.featurestore.merge.BatchPartials;
import io.tessera.featurestore.merge.WindowReads;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.serving.store.ServedView;
import io.tessera.serving.store.ServingReader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys' batch partials decoded once per view version and kept for the next events of the key (a busy key's
 * decoding costs more than its merge: bench/README.md, "ViewMergeBenchmark"), with the key's window reads
 * ({@link WindowReads}: its next vector extends them); the least recently used key leaves first. Not
 * thread-safe; one per task.
 */
final class DecodedBatches {

    /**
     * A key's batch partials in a view version ({@code null}: the view does not hold the key) and its window
     * reads against them.
     */
    record Decoded(long viewVersion, BatchPartials partials, WindowReads reads) {
    }

    private final FeaturePlan plan;
    private final ServingReader reader;
    private final Map<String, Decoded> byKey;

    DecodedBatches(FeaturePlan plan, ServingReader reader, int capacity) {
        this.plan = plan;
        this.reader = reader;
        this.byKey = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Decoded> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The key's partials of a view version from their stored bytes ({@code null}: the view does not hold the key). */
    Decoded decoded(String entity, long viewVersion, byte[] stored) {
        Decoded cached = byKey.get(entity);
        if (cached != null && cached.viewVersion() == viewVersion) {
            return cached;
        }
        Decoded decoded = new Decoded(viewVersion, stored == null ? null : BatchPartials.decode(plan, stored), new WindowReads());
        byKey.put(entity, decoded);
        return decoded;
    }

    /** The key's partials in {@code view}, read from Cassandra now (synchronously: only around a publication). */
    Decoded read(String entity, ServedView view) {
        byte[] stored = reader.batchRow(view, entity).map(row -> row.partials()).orElse(null);
        byKey.remove(entity);
        return decoded(entity, view.version(), stored);
    }
}
