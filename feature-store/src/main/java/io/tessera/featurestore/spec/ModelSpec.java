package io.tessera.featurestore.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the model is trained, evaluated and promoted.
 *
 * @param params training parameters in Spark's names, each of the Java type Spark expects (Integer,
 *     Long, Double, String, Boolean; see {@link Algorithm#params()})
 * @param holdout the fraction (0..1) of the latest event time held out for evaluation
 * @param promoteIf a CEL condition over {@code candidate} and {@code champion} (the metric of each)
 */
public record ModelSpec(
        Task task,
        Algorithm algorithm,
        Map<String, Object> params,
        Metric metric,
        double holdout,
        String promoteIf) {

    public ModelSpec {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }
}
