package io.tessera.featurestore.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tessera.featurestore.ExampleFiles;
import io.tessera.featurestore.aggregate.Op;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The published JSON Schema says what the loader accepts: the same keys in every object, the same
 * names for ops, tasks, algorithms, metrics, formats and types, and the examples validate against it.
 */
class SpecSchemaTest {

    private static final JsonNode SCHEMA = schema();

    private static JsonNode schema() {
        try (InputStream in = SpecSchemaTest.class.getResourceAsStream("/pipeline-spec.schema.json")) {
            return new ObjectMapper().readTree(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyObjectListsExactlyTheKeysTheLoaderAccepts() {
        for (Map.Entry<String, List<String>> object : SpecKeys.byObject().entrySet()) {
            JsonNode node = at(object.getKey());

            assertThat(names(node.get("properties"))).as("keys of '%s'", object.getKey())
                    .isEqualTo(new TreeSet<>(object.getValue()));
            assertThat(node.get("additionalProperties").asBoolean(true)).as("'%s' is closed", object.getKey()).isFalse();
        }
    }

    @Test
    void namedChoicesAreTheLoadersChoices() {
        assertThat(enumOf("features.aggregations[]", "op")).containsExactlyElementsOf(Op.specNames());
        assertThat(enumOf("model", "task")).containsExactlyElementsOf(names(Task.values(), Task::specName));
        assertThat(enumOf("model", "algorithm")).containsExactlyElementsOf(names(Algorithm.values(), Algorithm::specName));
        assertThat(enumOf("model", "metric")).containsExactlyElementsOf(names(Metric.values(), Metric::specName));
        assertThat(enumOf("source", "format")).containsExactlyElementsOf(names(SourceFormat.values(), SourceFormat::specName));
        assertThat(enumOf("features.event[]", "encode")).containsExactlyElementsOf(names(Encoding.values(), Encoding::specName));
        assertThat(text(SCHEMA.at("/$defs/fieldType/enum")))
                .containsExactlyElementsOf(FieldType.specNames());
    }

    @ParameterizedTest
    @ValueSource(strings = {"card_fraud", "ride_eta"})
    void theExamplesValidateAgainstTheSchema(String example) throws Exception {
        JsonNode spec = new YAMLMapper().readTree(ExampleFiles.read(example, "pipeline.yaml"));

        assertThat(validate(SCHEMA, spec, "")).isEmpty();
    }

    @Test
    void theValidatorHereCatchesWhatTheSchemaForbids() throws Exception {
        String broken = ExampleFiles.cardFraudSpec()
                .replace("op: max,   of: amt,                 windows: [24h] }", "op: maximum, of: amt,               windws: [24h] }");
        JsonNode spec = new YAMLMapper().readTree(broken);

        assertThat(validate(SCHEMA, spec, "")).containsExactlyInAnyOrder(
                "features.aggregations[3]: unknown key windws", "features.aggregations[3].op: not one of the allowed values");
    }

    // ---- a small validator for the parts of JSON Schema this schema uses --------------------------

    private static List<String> validate(JsonNode schema, JsonNode value, String path) {
        if (schema.has("$ref")) {
            return validate(SCHEMA.at(schema.get("$ref").asText().substring(1)), value, path);
        }
        List<String> problems = new ArrayList<>();
        if (schema.has("anyOf")) {
            // valid if one alternative accepts it; otherwise the problems of the one that fits the value's kind
            List<List<String>> tried = new ArrayList<>();
            for (JsonNode alternative : schema.get("anyOf")) {
                List<String> found = validate(alternative, value, path);
                if (found.isEmpty()) {
                    return found;
                }
                tried.add(found);
            }
            return tried.stream().filter(p -> p.stream().noneMatch(x -> x.endsWith("wrong type")))
                    .findFirst().orElse(tried.get(0));
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            problems.add(path + ": not one of the allowed values");
        }
        if (schema.has("type") && !hasType(schema.get("type"), value)) {
            problems.add(path + ": wrong type");
            return problems;
        }
        if (schema.has("pattern") && value.isTextual() && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
            problems.add(path + ": does not match " + schema.get("pattern").asText());
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            schema.path("required").forEach(r -> {
                if (!value.has(r.asText())) {
                    problems.add(path + ": missing " + r.asText());
                }
            });
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (properties.has(field.getKey())) {
                    problems.addAll(validate(properties.get(field.getKey()), field.getValue(), child));
                } else if (schema.path("additionalProperties").isObject()) {
                    problems.addAll(validate(schema.get("additionalProperties"), field.getValue(), child));
                } else if (schema.has("additionalProperties") && !schema.get("additionalProperties").asBoolean()) {
                    problems.add(path + ": unknown key " + field.getKey());
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                problems.addAll(validate(schema.get("items"), value.get(i), path + "[" + i + "]"));
            }
        }
        return problems;
    }

    private static boolean hasType(JsonNode type, JsonNode value) {
        List<String> types = type.isArray() ? text(type) : List.of(type.asText());
        return types.stream().anyMatch(t -> switch (t) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> false;
        });
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode v : values) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** The schema object at a loader object path ({@code features.aggregations[]}). */
    private static JsonNode at(String path) {
        JsonNode node = SCHEMA;
        if (path.isEmpty()) {
            return node;
        }
        for (String part : path.split("\\.")) {
            if (part.equals("*")) { // the object form among a map's value schemas
                for (JsonNode alternative : node.get("additionalProperties").get("anyOf")) {
                    if (alternative.has("properties")) {
                        node = alternative;
                    }
                }
                continue;
            }
            boolean list = part.endsWith("[]");
            node = node.get("properties").get(list ? part.substring(0, part.length() - 2) : part);
            if (list) {
                node = node.get("items");
            }
        }
        return node;
    }

    private static List<String> enumOf(String object, String key) {
        return text(at(object).get("properties").get(key).get("enum"));
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> text(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static <T> List<String> names(T[] values, java.util.function.Function<T, String> name) {
        return Arrays.stream(values).map(name).toList();
    }
}
