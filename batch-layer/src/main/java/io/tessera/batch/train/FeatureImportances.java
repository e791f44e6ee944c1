package io.tessera.batch.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much each feature matters to a fitted model, in feature order.
 *
 * @param method what the numbers are: Spark's tree {@code featureImportances} (normalized total gain,
 *     summing to 1) or the absolute coefficient of a linear model, which depends on the feature's scale
 * @param byFeature feature name to importance, in the model's feature order
 */
public record FeatureImportances(String method, Map<String, Double> byFeature) {

    public static final String TREE_GAIN = "share of impurity reduction (Spark featureImportances)";
    public static final String ABS_COEFFICIENT = "|coefficient| on the raw feature scale";

    public FeatureImportances {
        byFeature = Collections.unmodifiableMap(new LinkedHashMap<>(byFeature));
    }

    static FeatureImportances of(String method, List<String> features, double[] values) {
        if (features.size() != values.length) {
            throw new IllegalArgumentException(features.size() + " features but " + values.length + " importances");
        }
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(features.get(i), values[i]);
        }
        return new FeatureImportances(method, map);
    }
}
