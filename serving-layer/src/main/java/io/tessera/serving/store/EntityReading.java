package io.tessera.serving.store;

import io.tessera.featurestore.contract.Score;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What serving answers for a key at a read time: the merged feature vector, the latest score with its
 * provenance, and where the parts came from.
 *
 * @param features column name to value, in the vector's order; event columns are NaN (no event is scored
 *     by a read by key)
 * @param newestEventTime the newest event either view reflects, if any
 * @param latestScore the score of the key's newest scored event: the speed layer's when it scored an
 *     event newer than the batch view's, else the batch view's
 * @param view the batch view the answer stands on
 * @param inBatchView whether the batch view holds the key
 * @param realtimeRows how many realtime rows the cut did not cover (0: the batch view alone)
 */
public record EntityReading(String entity, long readTime, Map<String, Double> features, OptionalLong newestEventTime,
        Optional<Score> latestScore, ServedView view, boolean inBatchView, int realtimeRows) {

    public EntityReading {
        Objects.requireNonNull(entity, "entity");
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /** True if neither view knows the key. */
    public boolean unknown() {
        return !inBatchView && realtimeRows == 0 && latestScore.isEmpty();
    }
}
