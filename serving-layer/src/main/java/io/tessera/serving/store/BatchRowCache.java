package io.tessera.serving.store;

import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.featurestore.merge.BatchPartials;

/**
 * Keys' batch rows as the reader decoded them, for one view version. A published version never
 * changes, so a key's row (or its absence) read for it stays the answer until the view switches: a hit
 * saves the read of the row and the decoding of its partials, which {@link BatchPartials} keeps once
 * decoded (a CPC sketch costs more to decode than to merge). The reader starts a new cache with each
 * version. Bounded by the encoded bytes it holds; the decoded partials are on top of them.
 */
final class BatchRowCache {

    /** A key's row of the version, decoded; {@code row} empty if the version does not hold the key. */
    record Entry(Optional<BatchViewRow> row, BatchPartials partials) {

        static final Entry ABSENT = new Entry(Optional.empty(), null);

        int weight() {
            return 64 + row.map(r -> r.partials().length + r.newestEventVector().length * Double.BYTES).orElse(0);
        }
    }

    private final Cache<String, Entry> entries;

    /** @param maxBytes 0 keeps nothing */
    BatchRowCache(long maxBytes) {
        this.entries = maxBytes <= 0 ? null : Caffeine.newBuilder().maximumWeight(maxBytes)
                .weigher((String key, Entry entry) -> key.length() + entry.weight()).build();
    }

    /** The key's entry, or null if it is not held. */
    Entry get(String entity) {
        return entries == null ? null : entries.getIfPresent(entity);
    }

    void put(String entity, Entry entry) {
        if (entries != null) {
            entries.put(entity, entry);
        }
    }
}
