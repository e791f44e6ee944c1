package io.tessera.batch.train;

import io.tessera.featurestore.spec.Metric;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one model scored on one holdout. A metric that is undefined there (AUC of a holdout without
 * positives, precision when nothing was flagged) is absent from {@code metrics} and present in
 * {@code undefined} with the reason: never a made-up number.
 *
 * <p>Keys are {@link Metric#specName()}s ({@code auc}, {@code logloss}, {@code rmse}, {@code mae}) plus
 * {@link #PRECISION}, {@link #RECALL}, {@link #ROWS} and {@link #POSITIVES}; the counts travel with the
 * metrics so the registry and the report say what they were measured on.
 *
 * @param metrics name to value, all finite, in the order they were computed
 * @param undefined name to the reason it has no value
 */
public record Evaluation(Map<String, Double> metrics, Map<String, String> undefined) {

    /** Precision at probability threshold 0.5 (a row is flagged when {@code p > 0.5}, as Spark predicts). */
    public static final String PRECISION = "precision@0.5";
    /** Recall at probability threshold 0.5. */
    public static final String RECALL = "recall@0.5";
    /** Rows evaluated. */
    public static final String ROWS = "holdout_rows";
    /** Rows labelled 1 among those evaluated (classification). */
    public static final String POSITIVES = "holdout_positives";

    public Evaluation {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        undefined = Collections.unmodifiableMap(new LinkedHashMap<>(undefined));
        for (Map.Entry<String, Double> metric : metrics.entrySet()) {
            if (!Double.isFinite(metric.getValue())) {
                throw new IllegalArgumentException("metric " + metric.getKey() + " is " + metric.getValue()
                        + ": record it as undefined");
            }
            if (undefined.containsKey(metric.getKey())) {
                throw new IllegalArgumentException("metric " + metric.getKey() + " is both defined and undefined");
            }
        }
    }

    public OptionalDouble value(String name) {
        Double v = metrics.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    public OptionalDouble value(Metric metric) {
        return value(metric.specName());
    }

    /** Why {@code name} has no value here, if it was computed and found undefined. */
    public Optional<String> whyUndefined(String name) {
        return Optional.ofNullable(undefined.get(name));
    }
}
