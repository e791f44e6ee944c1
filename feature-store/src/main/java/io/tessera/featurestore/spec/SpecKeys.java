package io.tessera.featurestore.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys each object of the spec accepts. One list, used by the loader to reject unknown keys and by
 * the tests to check that the published JSON Schema says the same.
 */
final class SpecKeys {

    static final List<String> TOP = List.of("pipeline", "entity", "source", "features", "label", "model", "schedule", "serving");
    static final List<String> ENTITY = List.of("name", "key");
    static final List<String> SOURCE = List.of("topic", "format", "timestamp", "fields", "max_lateness", "max_future_skew", "id");
    static final List<String> FIELD = List.of("type", "default");
    static final List<String> TIMESTAMP = List.of("field", "format");
    static final List<String> FEATURES = List.of("tile", "point_in_time", "aggregations", "event");
    static final List<String> AGGREGATION = List.of("name", "op", "of", "where", "windows", "default");
    static final List<String> EVENT_FEATURE = List.of("name", "of", "encode", "categories", "max_categories");
    static final List<String> LABEL = List.of("field", "positive", "known_after");
    static final List<String> MODEL = List.of("task", "algorithm", "params", "metric", "holdout", "promote_if");
    static final List<String> SCHEDULE = List.of("retrain", "publish", "maintain");
    static final List<String> SERVING = List.of("view");

    /** Object path (list items as {@code []}) to its keys. */
    static Map<String, List<String>> byObject() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("", TOP);
        keys.put("entity", ENTITY);
        keys.put("source", SOURCE);
        keys.put("source.timestamp", TIMESTAMP);
        keys.put("source.fields.*", FIELD);
        keys.put("features", FEATURES);
        keys.put("features.aggregations[]", AGGREGATION);
        keys.put("features.event[]", EVENT_FEATURE);
        keys.put("label", LABEL);
        keys.put("model", MODEL);
        keys.put("schedule", SCHEDULE);
        keys.put("serving", SERVING);
        return keys;
    }

    private SpecKeys() {
    }
}
