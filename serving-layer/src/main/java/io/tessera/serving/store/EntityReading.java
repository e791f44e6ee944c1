package io.tessera.serving.store;

import io.tessera.featurestore.contract.Score;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What serving answers for a key at a read time: the merged feature vector, the latest score with its
 * provenance, and where the parts came from.
 *
 * @param featureNames the vector's column names, the view's layout (shared, not copied)
 * @param vector the merged values in the order of {@code featureNames}; event columns are NaN (no event is
 *     scored by a read by key); owned by this reading
 * @param newestEventTime the newest event either view reflects, if any
 * @param latestScore the score of the key's newest scored event: the speed layer's when it scored an
 *     event newer than the batch view's, else the batch view's
 * @param view the batch view the answer stands on
 * @param inBatchView whether the batch view holds the key
 * @param realtimeRows how many realtime rows the cut did not cover (0: the batch view alone)
 */
public record EntityReading(String entity, long readTime, List<String> featureNames, double[] vector, OptionalLong newestEventTime,
        Optional<Score> latestScore, ServedView view, boolean inBatchView, int realtimeRows) {

    public EntityReading {
        Objects.requireNonNull(entity, "entity");
        if (featureNames.size() != vector.length) {
            throw new IllegalArgumentException(vector.length + " values for " + featureNames.size() + " features");
        }
    }

    /** Column name to value, in the vector's order (a map built for the caller: the query API writes the vector as it is). */
    public Map<String, Double> features() {
        Map<String, Double> features = new LinkedHashMap<>();
        for (int i = 0; i < vector.length; i++) {
            features.put(featureNames.get(i), vector[i]);
        }
        return Collections.unmodifiableMap(features);
    }

    /** Equal readings hold equal values (a record compares arrays by reference). */
    @Override
    public boolean equals(Object other) {
        return other instanceof EntityReading o && entity.equals(o.entity) && readTime == o.readTime && featureNames.equals(o.featureNames)
                && Arrays.equals(vector, o.vector) && newestEventTime.equals(o.newestEventTime) && latestScore.equals(o.latestScore)
                && view.equals(o.view) && inBatchView == o.inBatchView && realtimeRows == o.realtimeRows;
    }

    @Override
    public int hashCode() {
        return Objects.hash(entity, readTime, featureNames, Arrays.hashCode(vector), newestEventTime, latestScore, view, inBatchView, realtimeRows);
    }

    @Override
    public String toString() {
        return "EntityReading[" + entity + " at " + readTime + ": " + features() + ", newest event " + newestEventTime + ", score " + latestScore
                + ", " + view + ", in batch view " + inBatchView + ", " + realtimeRows + " realtime rows]";
    }

    /** True if neither view knows the key. */
    public boolean unknown() {
        return !inBatchView && realtimeRows == 0 && latestScore.isEmpty();
    }
}
