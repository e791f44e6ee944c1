package io.tessera.featurestore.model;

import io.tessera.featurestore.contract.TrainingProvenance;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Fingerprint;
import io.tessera.featurestore.spec.Task;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The portable model: what the batch layer exports a trained Spark MLlib model to, and what the speed
 * and serving layers score with ({@link Scorer#of}). Stored as JSON by {@link ModelFormat}, with a
 * SHA-256 checksum of its content that loading verifies.
 *
 * <p>Everything needed to use the model and to rebuild it travels with it (docs/architecture.md, "The
 * contracts that make it one system", provenance): the feature order (the
 * {@link io.tessera.featurestore.vector.FeatureLayout} names the model was trained on), the one_hot
 * vocabularies learned at training time, the training parameters, the evaluation metrics, and free-form
 * provenance such as the Iceberg snapshot id and cutoff of the training data.
 * The constructor checks that the content is consistent; an inconsistent artifact cannot be built.
 *
 * @param format always {@link #FORMAT}
 * @param version the model version within {@code name}, from 1
 * @param features the feature vector's column names, in order
 * @param vocabularies one_hot feature name to its categories, in column order
 * @param params the training parameters (Spark names)
 * @param metrics evaluation metrics that are defined; an undefined metric (AUC of a holdout without
 *     positives) is left out, never made up
 * @param provenance e.g. {@code snapshot_id}, {@code cutoff}, {@code trained_at}
 */
public record ModelArtifact(
        String format,
        String name,
        long version,
        Task task,
        Algorithm algorithm,
        List<String> features,
        Map<String, List<String>> vocabularies,
        ModelBody body,
        Map<String, Object> params,
        Map<String, Double> metrics,
        Map<String, String> provenance) {

    public static final String FORMAT = "tessera-model/1";

    /**
     * @throws ModelFormatException if the content is inconsistent
     */
    public ModelArtifact {
        Objects.requireNonNull(body, "body");
        if (!FORMAT.equals(format)) {
            throw new ModelFormatException("unsupported model format '" + format + "' (this build reads " + FORMAT + ")");
        }
        if (name == null || name.isBlank()) {
            throw new ModelFormatException("the model has no name");
        }
        if (version < 1) {
            throw new ModelFormatException("model version must be 1 or more, got " + version);
        }
        if (task == null || algorithm == null) {
            throw new ModelFormatException("the model needs a task and an algorithm");
        }
        if (!algorithm.supports(task)) {
            throw new ModelFormatException(algorithm.specName() + " cannot do " + task.specName());
        }
        features = List.copyOf(features);
        if (features.isEmpty() || new HashSet<>(features).size() != features.size()) {
            throw new ModelFormatException("features must be a non-empty list of distinct names");
        }
        vocabularies = immutableSorted(vocabularies, List::copyOf);
        params = immutableSorted(params, v -> v);
        metrics = immutableSorted(metrics, v -> v);
        provenance = immutableSorted(provenance, v -> v);
        metrics.forEach((metric, value) -> {
            if (!Double.isFinite(value)) {
                throw new ModelFormatException("metric " + metric + " is " + value + ": leave an undefined metric out");
            }
        });
        ModelChecks.check(body, algorithm, task, features.size());
    }

    /** A new artifact in the current format. */
    public static ModelArtifact of(String name, long version, Task task, Algorithm algorithm, List<String> features,
                                   Map<String, List<String>> vocabularies, ModelBody body, Map<String, Object> params,
                                   Map<String, Double> metrics, Map<String, String> provenance) {
        return new ModelArtifact(FORMAT, name, version, task, algorithm, features, vocabularies, body, params, metrics,
                provenance);
    }

    /**
     * Checks that vectors assembled with these column names fit this model.
     *
     * @throws ModelFormatException naming the first difference
     */
    public void requireFeatures(List<String> layoutNames) {
        if (layoutNames.equals(features)) {
            return;
        }
        int i = 0;
        while (i < Math.min(layoutNames.size(), features.size()) && layoutNames.get(i).equals(features.get(i))) {
            i++;
        }
        String theirs = i < layoutNames.size() ? "'" + layoutNames.get(i) + "'" : "nothing";
        String ours = i < features.size() ? "'" + features.get(i) + "'" : "nothing";
        throw new ModelFormatException("model " + name + " v" + version + " was trained on other features: column " + i
                + " is " + ours + " in the model and " + theirs + " in the layout");
    }

    /**
     * Checks that this model may score vectors of a layout: the same columns, built by the same
     * definitions ({@code FeatureLayout.fingerprint()}, recorded at training time in the provenance).
     *
     * @throws LayoutMismatchException naming the first difference, or saying that the artifact records no
     *     layout to check against (exported before layouts were fingerprinted: retrain it)
     */
    public void requireLayout(List<String> layoutNames, Fingerprint layoutFingerprint) {
        try {
            requireFeatures(layoutNames);
        } catch (ModelFormatException e) {
            throw new LayoutMismatchException(e.getMessage());
        }
        Fingerprint trained;
        try {
            trained = TrainingProvenance.fromMap(provenance).layoutFingerprint();
        } catch (IllegalArgumentException e) {
            throw new LayoutMismatchException("model " + name + " v" + version + " records no feature layout to check vectors against ("
                    + e.getMessage() + "): retrain it");
        }
        if (!trained.equals(layoutFingerprint)) {
            throw new LayoutMismatchException("model " + name + " v" + version + " was trained on the same column names over other"
                    + " definitions (layout " + trained.shortHex() + ", these vectors' " + layoutFingerprint.shortHex()
                    + "): a window, condition or input changed in the spec");
        }
    }

    private static <V> Map<String, V> immutableSorted(Map<String, V> map, java.util.function.UnaryOperator<V> copy) {
        Map<String, V> sorted = new TreeMap<>();
        if (map != null) {
            map.forEach((k, v) -> sorted.put(Objects.requireNonNull(k), copy.apply(Objects.requireNonNull(v, k))));
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }
}
