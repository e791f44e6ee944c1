package io.tessera.featurestore.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.featurestore.spec.Fingerprint;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one writer and reader of {@link ControlMessage}s: JSON with {@code "format": "tessera-control/1"}
 * and a {@code type}. Field names are snake_case and stable; a reader of this version rejects another
 * format, an unknown type and a missing field with a message that names it, rather than guess.
 */
public final class ControlMessageCodec {

    public static final String FORMAT = "tessera-control/1";
    private static final String VIEW_PUBLISHED = "view_published";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlMessageCodec() {
    }

    public static String toJson(ControlMessage message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        if (message instanceof ControlMessage.ViewPublished published) {
            root.put("type", VIEW_PUBLISHED);
            writeView(root, published.view());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serializes", e);
        }
    }

    /** A published view as stored beside its rows (serving metadata, the lake's history): its {@code view_published} message. */
    public static String viewToJson(PublishedView view) {
        return toJson(new ControlMessage.ViewPublished(view));
    }

    /** @throws ControlMessageFormatException if the text is not a {@code view_published} message of this format */
    public static PublishedView viewFromJson(String text) {
        ControlMessage message = parse(text);
        if (message instanceof ControlMessage.ViewPublished published) {
            return published.view();
        }
        throw new ControlMessageFormatException("expected a view_published message, got " + message.getClass().getSimpleName());
    }

    /** @throws ControlMessageFormatException if the text is not a control message of this format */
    public static ControlMessage parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ControlMessageFormatException("control message is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ControlMessageFormatException("control message is not a JSON object");
        }
        Fields fields = new Fields(root, "");
        String format = fields.text("format");
        if (!FORMAT.equals(format)) {
            throw new ControlMessageFormatException("unsupported control message format '" + format + "' (this build reads " + FORMAT + ")");
        }
        String type = fields.text("type");
        try {
            if (VIEW_PUBLISHED.equals(type)) {
                return new ControlMessage.ViewPublished(readView(fields));
            }
        } catch (ControlMessageFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ControlMessageFormatException("invalid " + type + " message: " + e.getMessage(), e);
        }
        throw new ControlMessageFormatException("unknown control message type '" + type + "'");
    }

    private static void writeView(ObjectNode root, PublishedView view) {
        root.put("pipeline", view.pipeline());
        root.put("view_version", view.viewVersion());
        ObjectNode snapshot = root.putObject("snapshot");
        snapshot.put("id", view.snapshot().id());
        snapshot.put("sequence_number", view.snapshot().sequenceNumber());
        snapshot.put("committed_at", view.snapshot().committedAt());
        ObjectNode cut = root.putObject("cut");
        cut.put("generation", view.cut().generation());
        cut.put("checkpoint", view.cut().checkpoint());
        root.put("cutoff", view.cutoff());
        view.champion().ifPresentOrElse(champion -> {
            ObjectNode node = root.putObject("champion");
            node.put("name", champion.name());
            node.put("version", champion.version());
            node.put("artifact_location", champion.artifactLocation());
            node.put("checksum", champion.checksum());
        }, () -> root.putNull("champion"));
        view.scoresWithheld().ifPresentOrElse(reason -> root.put("scores_withheld", reason), () -> root.putNull("scores_withheld"));
        root.put("spec_fingerprint", view.specFingerprint().hex());
        root.put("plan_fingerprint", view.planFingerprint().hex());
        root.put("layout_fingerprint", view.layoutFingerprint().hex());
        ArrayNode names = root.putArray("feature_names");
        view.featureNames().forEach(names::add);
        ObjectNode vocabularies = root.putObject("vocabularies");
        view.vocabularies().forEach((feature, categories) -> {
            ArrayNode list = vocabularies.putArray(feature);
            categories.forEach(list::add);
        });
        root.put("entities", view.entities());
        root.put("published_at", view.publishedAt());
    }

    private static PublishedView readView(Fields root) {
        Fields snapshot = root.object("snapshot");
        Fields cut = root.object("cut");
        Optional<ChampionRef> champion = root.optionalObject("champion").map(c -> new ChampionRef(c.text("name"),
                c.number("version"), c.text("artifact_location"), c.text("checksum")));
        Map<String, List<String>> vocabularies = new LinkedHashMap<>();
        Fields vocabularyFields = root.object("vocabularies");
        for (Iterator<String> features = vocabularyFields.node.fieldNames(); features.hasNext(); ) {
            String feature = features.next();
            vocabularies.put(feature, vocabularyFields.texts(feature));
        }
        return new PublishedView(root.text("pipeline"), root.number("view_version"),
                new SnapshotRef(snapshot.number("id"), snapshot.number("sequence_number"), snapshot.number("committed_at")),
                new ServingCut(cut.number("generation"), cut.number("checkpoint")), root.number("cutoff"), champion,
                root.optionalText("scores_withheld"), new Fingerprint(root.text("spec_fingerprint")),
                new Fingerprint(root.text("plan_fingerprint")), new Fingerprint(root.text("layout_fingerprint")), root.texts("feature_names"), vocabularies, root.number("entities"),
                root.number("published_at"));
    }

    /** Strict access to an object's fields; every failure names the field's path. */
    private record Fields(JsonNode node, String path) {

        private JsonNode required(String name) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                throw new ControlMessageFormatException("control message has no '" + path + name + "'");
            }
            return value;
        }

        String text(String name) {
            JsonNode value = required(name);
            if (!value.isTextual()) {
                throw new ControlMessageFormatException("'" + path + name + "' must be a string, got " + value.getNodeType());
            }
            return value.textValue();
        }

        Optional<String> optionalText(String name) {
            JsonNode value = node.get(name);
            return value == null || value.isNull() ? Optional.empty() : Optional.of(text(name));
        }

        long number(String name) {
            JsonNode value = required(name);
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw new ControlMessageFormatException("'" + path + name + "' must be a whole number, got " + value);
            }
            return value.longValue();
        }

        Fields object(String name) {
            JsonNode value = required(name);
            if (!value.isObject()) {
                throw new ControlMessageFormatException("'" + path + name + "' must be an object, got " + value.getNodeType());
            }
            return new Fields(value, path + name + ".");
        }

        Optional<Fields> optionalObject(String name) {
            JsonNode value = node.get(name);
            return value == null || value.isNull() ? Optional.empty() : Optional.of(object(name));
        }

        List<String> texts(String name) {
            JsonNode value = required(name);
            if (!value.isArray()) {
                throw new ControlMessageFormatException("'" + path + name + "' must be an array, got " + value.getNodeType());
            }
            List<String> texts = new ArrayList<>();
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    throw new ControlMessageFormatException("'" + path + name + "' must hold strings, got " + element);
                }
                texts.add(element.textValue());
            }
            return texts;
        }
    }
}
