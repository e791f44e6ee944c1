package io.tessera.featurestore.contract;

import io.tessera.featurestore.spec.Fingerprint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a model was trained from, so it can be rebuilt and checked before it scores: stored in the
 * portable artifact's {@code provenance} map under the keys below, written and read only here.
 *
 * @param snapshotId the lake snapshot of the training data
 * @param cutoff the cutoff T of the training labels, UTC epoch milliseconds
 * @param runKey the retrain run that trained it
 * @param trainingSet the lake table holding its training rows (partitioned by run key)
 * @param specFingerprint the spec it was trained with
 * @param layoutFingerprint {@code FeatureLayout.fingerprint()} of its feature vector: a vector assembled
 *     with another layout must not be scored with it, even if the column names match
 */
public record TrainingProvenance(long snapshotId, long cutoff, String runKey, String trainingSet, Fingerprint specFingerprint,
        Fingerprint layoutFingerprint) {

    private static final String SNAPSHOT_ID = "snapshot_id";
    private static final String CUTOFF = "cutoff";
    private static final String RUN_KEY = "run_key";
    private static final String TRAINING_SET = "training_set";
    private static final String SPEC_FINGERPRINT = "spec_fingerprint";
    private static final String LAYOUT_FINGERPRINT = "layout_fingerprint";

    public TrainingProvenance {
        Objects.requireNonNull(runKey, "runKey");
        Objects.requireNonNull(trainingSet, "trainingSet");
        Objects.requireNonNull(specFingerprint, "specFingerprint");
        Objects.requireNonNull(layoutFingerprint, "layoutFingerprint");
    }

    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(SNAPSHOT_ID, Long.toString(snapshotId));
        map.put(CUTOFF, java.time.Instant.ofEpochMilli(cutoff).toString());
        map.put(RUN_KEY, runKey);
        map.put(TRAINING_SET, trainingSet);
        map.put(SPEC_FINGERPRINT, specFingerprint.hex());
        map.put(LAYOUT_FINGERPRINT, layoutFingerprint.hex());
        return map;
    }

    /**
     * @throws IllegalArgumentException naming the key that is missing or unreadable (an artifact exported
     *     by an older build carries no layout fingerprint and cannot be checked)
     */
    public static TrainingProvenance fromMap(Map<String, String> map) {
        try {
            return new TrainingProvenance(Long.parseLong(required(map, SNAPSHOT_ID)),
                    java.time.Instant.parse(required(map, CUTOFF)).toEpochMilli(), required(map, RUN_KEY), required(map, TRAINING_SET),
                    new Fingerprint(required(map, SPEC_FINGERPRINT)), new Fingerprint(required(map, LAYOUT_FINGERPRINT)));
        } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("model provenance is unreadable: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> map, String key) {
        String value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("model provenance has no '" + key + "'");
        }
        return value;
    }
}
