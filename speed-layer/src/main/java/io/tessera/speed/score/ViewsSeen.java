package io.tessera.speed.score;

import io.tessera.featurestore.spec.Fingerprint;
import io.tessera.serving.store.ServedView;
import io.tessera.serving.store.ServingStore;
import java.util.HashMap;
import java.util.Map;

/**
 * The published views one task has seen, by version: records carry only the version their lookup saw.
 * An unknown version, or one older than a key has moved to, is answered with the view serving now (read
 * once from Cassandra), which may be newer than asked for: the caller then reads the key's batch row of
 * that view. A view computed under another plan is never answered (its partials would not fit): the
 * newest known view of this plan is, as the lookup does ({@code BatchLookup}). Not thread-safe; one per task.
 */
final class ViewsSeen {

    private final ServingStore store;
    private final Fingerprint plan;
    private final Map<Long, ServedView> byVersion = new HashMap<>();

    ViewsSeen(ServingStore store, Fingerprint plan) {
        this.store = store;
        this.plan = plan;
    }

    /**
     * @param version the version a record's lookup saw
     * @param atLeast the version the record's key has moved to already
     * @throws IllegalStateException if serving has no view although a lookup saw one (the views table was emptied)
     */
    ServedView view(long version, long atLeast) {
        ServedView known = byVersion.get(version);
        if (known != null && version >= atLeast) {
            return known;
        }
        ServedView current = store.current().orElseThrow(() -> new IllegalStateException("serving has no view, yet view v" + version
                + " was seen: was the keyspace dropped under a running speed layer?"));
        if (!current.view().planFingerprint().equals(plan)) {
            return byVersion.values().stream().max(java.util.Comparator.comparingLong(ServedView::version)).orElseThrow(() ->
                    new IllegalStateException("the view serving, v" + current.version() + ", was computed under another plan"));
        }
        byVersion.put(current.version(), current);
        return current;
    }
}
