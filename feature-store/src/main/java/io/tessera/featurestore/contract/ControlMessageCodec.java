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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one writer and reader of {@link ControlMessage}s: JSON with a {@code format} and a {@code type}.
 * Field names are snake_case and stable; a reader rejects a format it does not know, an unknown type and
 * a missing field with a message that names it, rather than guess.
 *
 * <p>Formats: {@code tessera-control/1} has {@code view_published}; {@code tessera-control/2} adds
 * {@code challenger_set} and {@code challenger_cleared}. Each message is written in the oldest format that
 * has its type, so a {@code view_published} (also stored beside published views in serving and the
 * lake) stays readable by builds that know only format 1; this build reads both.
 *
 * <pre>
 * {"format": "tessera-control/2", "type": "challenger_set", "pipeline": P, "revision": R,
 *  "model": {"name", "version", "artifact_location", "checksum"}, "mode": "shadow" | "ab", "share": 0.1,
 *  "reason": "...", "assigned_at": epoch ms}
 * {"format": "tessera-control/2", "type": "challenger_cleared", "pipeline": P, "revision": R, "reason": "...",
 *  "cleared_at": epoch ms}
 * </pre>
 */
public final class ControlMessageCodec {

    /** The format of {@code view_published} messages. */
    public static final String FORMAT = "tessera-control/1";
    /** The newest format: adds the challenger's messages. */
    public static final String FORMAT_2 = "tessera-control/2";
    private static final String VIEW_PUBLISHED = "view_published";
    private static final String CHALLENGER_SET = "challenger_set";
    private static final String CHALLENGER_CLEARED = "challenger_cleared";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlMessageCodec() {
    }

    public static String toJson(ControlMessage message) {
        ObjectNode root = JSON.createObjectNode();
        if (message instanceof ControlMessage.ViewPublished published) {
            root.put("format", FORMAT);
            root.put("type", VIEW_PUBLISHED);
            writeView(root, published.view());
        } else if (message instanceof ControlMessage.ChallengerSet set) {
            root.put("format", FORMAT_2);
            root.put("type", CHALLENGER_SET);
            writeChallenger(root, set.challenger());
        } else if (message instanceof ControlMessage.ChallengerCleared cleared) {
            root.put("format", FORMAT_2);
            root.put("type", CHALLENGER_CLEARED);
            root.put("pipeline", cleared.pipeline());
            root.put("revision", cleared.revision());
            root.put("reason", cleared.reason());
            root.put("cleared_at", cleared.clearedAt());
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
        if (!FORMAT.equals(format) && !FORMAT_2.equals(format)) {
            throw new ControlMessageFormatException("unsupported control message format '" + format + "' (this build reads " + FORMAT
                    + " and " + FORMAT_2 + ")");
        }
        String type = fields.text("type");
        boolean challenger = CHALLENGER_SET.equals(type) || CHALLENGER_CLEARED.equals(type);
        if (challenger && FORMAT.equals(format)) {
            throw new ControlMessageFormatException("a " + type + " message is of format " + FORMAT_2 + ", not " + format);
        }
        try {
            if (VIEW_PUBLISHED.equals(type)) {
                return new ControlMessage.ViewPublished(readView(fields));
            }
            if (CHALLENGER_SET.equals(type)) {
                return new ControlMessage.ChallengerSet(readChallenger(fields));
            }
            if (CHALLENGER_CLEARED.equals(type)) {
                return new ControlMessage.ChallengerCleared(fields.text("pipeline"), fields.number("revision"), fields.text("reason"),
                        fields.number("cleared_at"));
            }
        } catch (ControlMessageFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ControlMessageFormatException("invalid " + type + " message: " + e.getMessage(), e);
        }
        throw new ControlMessageFormatException("unknown control message type '" + type + "'");
    }

    /** The challenger change stored in serving: its message, as sent. */
    public static ControlMessage.ChallengerChange challengerFromJson(String text) {
        if (parse(text) instanceof ControlMessage.ChallengerChange change) {
            return change;
        }
        throw new ControlMessageFormatException("expected a challenger_set or challenger_cleared message");
    }

    private static void writeChallenger(ObjectNode root, ChallengerAssignment challenger) {
        root.put("pipeline", challenger.pipeline());
        root.put("revision", challenger.revision());
        writeModel(root.putObject("model"), challenger.model());
        root.put("mode", challenger.mode().name().toLowerCase(Locale.ROOT));
        root.put("share", challenger.share());
        root.put("reason", challenger.reason());
        root.put("assigned_at", challenger.assignedAt());
    }

    private static ChallengerAssignment readChallenger(Fields root) {
        String mode = root.text("mode");
        ChallengerAssignment.Mode parsed = switch (mode) {
            case "shadow" -> ChallengerAssignment.Mode.SHADOW;
            case "ab" -> ChallengerAssignment.Mode.AB;
            default -> throw new ControlMessageFormatException("'mode' must be shadow or ab, got '" + mode + "'");
        };
        return new ChallengerAssignment(root.text("pipeline"), root.number("revision"), readModel(root.object("model")), parsed,
                root.fraction("share"), root.text("reason"), root.number("assigned_at"));
    }

    private static void writeModel(ObjectNode node, ChampionRef model) {
        node.put("name", model.name());
        node.put("version", model.version());
        node.put("artifact_location", model.artifactLocation());
        node.put("checksum", model.checksum());
    }

    private static ChampionRef readModel(Fields model) {
        return new ChampionRef(model.text("name"), model.number("version"), model.text("artifact_location"), model.text("checksum"));
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
        view.champion().ifPresentOrElse(champion -> writeModel(root.putObject("champion"), champion), () -> root.putNull("champion"));
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
        Optional<ChampionRef> champion = root.optionalObject("champion").map(ControlMessageCodec::readModel);
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

        double fraction(String name) {
            JsonNode value = required(name);
            if (!value.isNumber()) {
                throw new ControlMessageFormatException("'" + path + name + "' must be a number, got " + value);
            }
            return value.doubleValue();
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
