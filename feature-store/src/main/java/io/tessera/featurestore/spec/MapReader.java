package io.tessera.featurestore.spec;

import io.tessera.featurestore.spec.YamlDocument.ListNode;
import io.tessera.featurestore.spec.YamlDocument.MapNode;
import io.tessera.featurestore.spec.YamlDocument.Node;
import io.tessera.featurestore.spec.YamlDocument.Position;
import io.tessera.featurestore.spec.YamlDocument.ScalarKind;
import io.tessera.featurestore.spec.YamlDocument.ScalarNode;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Typed access to one map of the spec. Unknown keys are reported when the reader is made; each getter
 * reports a missing or mistyped value and returns empty, so reading goes on and every problem is found.
 */
final class MapReader {

    private final MapNode node;
    private final String path;
    private final ProblemCollector problems;

    private MapReader(MapNode node, String path, ProblemCollector problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** A reader over {@code node} if it is a map (else a problem, and empty), its unknown keys reported. */
    static Optional<MapReader> of(Node node, String path, List<String> allowedKeys, ProblemCollector problems) {
        if (!(node instanceof MapNode map)) {
            problems.add(path, node.position(), "expected a map, got " + node.describe());
            return Optional.empty();
        }
        for (YamlDocument.Entry entry : map.entries().values()) {
            if (!allowedKeys.contains(entry.key())) {
                String hint = Suggestion.closestTo(entry.key(), allowedKeys)
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse(" (allowed: " + String.join(", ", allowedKeys) + ")");
                problems.add(child(path, entry.key()), entry.keyPosition(), "unknown key '" + entry.key() + "'" + hint);
            }
        }
        return Optional.of(new MapReader(map, path, problems));
    }

    /**
     * A reader over a map whose keys are data (field names, parameter names), not spec keys.
     *
     * @param expected what the map should be, for the message when it is something else
     */
    static Optional<MapReader> anyKeys(Node node, String path, String expected, ProblemCollector problems) {
        if (!(node instanceof MapNode map)) {
            problems.add(path, node.position(), "expected " + expected + ", got " + node.describe());
            return Optional.empty();
        }
        return Optional.of(new MapReader(map, path, problems));
    }

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    String path() {
        return path;
    }

    String path(String key) {
        return child(path, key);
    }

    Position position() {
        return node.position();
    }

    /** The value's position, or the map's if the key is absent. */
    Position position(String key) {
        YamlDocument.Entry entry = node.entries().get(key);
        return entry == null ? node.position() : entry.value().position();
    }

    boolean has(String key) {
        YamlDocument.Entry entry = node.entries().get(key);
        return entry != null && !(entry.value() instanceof ScalarNode s && s.kind() == ScalarKind.NULL);
    }

    /** Whether the key is written with a null value ({@code key:} or {@code key: null}). */
    boolean isNull(String key) {
        YamlDocument.Entry entry = node.entries().get(key);
        return entry != null && entry.value() instanceof ScalarNode s && s.kind() == ScalarKind.NULL;
    }

    Optional<Node> optional(String key) {
        return has(key) ? Optional.of(node.entries().get(key).value()) : Optional.empty();
    }

    Optional<Node> required(String key) {
        if (!has(key)) {
            problems.add(path(key), node.position(), "required key is missing");
            return Optional.empty();
        }
        return optional(key);
    }

    Optional<MapReader> map(String key, List<String> allowedKeys, boolean required) {
        return (required ? required(key) : optional(key))
                .flatMap(n -> MapReader.of(n, path(key), allowedKeys, problems));
    }

    Optional<ListNode> list(String key, boolean required) {
        return (required ? required(key) : optional(key)).flatMap(n -> {
            if (n instanceof ListNode list) {
                return Optional.of(list);
            }
            problems.add(path(key), n.position(), "expected a list, got " + n.describe());
            return Optional.empty();
        });
    }

    /** A text value (plain or quoted). Numbers and booleans are not text. */
    Optional<ScalarNode> text(String key, boolean required) {
        return (required ? required(key) : optional(key)).flatMap(n -> asText(n, path(key), problems));
    }

    static Optional<ScalarNode> asText(Node n, String path, ProblemCollector problems) {
        if (n instanceof ScalarNode s && s.kind() == ScalarKind.STRING) {
            return Optional.of(s);
        }
        problems.add(path, n.position(), "expected text, got " + n.describe());
        return Optional.empty();
    }

    Optional<ScalarNode> number(String key) {
        return optional(key).flatMap(n -> {
            if (n instanceof ScalarNode s && (s.kind() == ScalarKind.INTEGER || s.kind() == ScalarKind.FLOAT)) {
                return Optional.of(s);
            }
            problems.add(path(key), n.position(), "expected a number, got " + n.describe());
            return Optional.empty();
        });
    }

    Optional<ScalarNode> integer(String key) {
        return optional(key).flatMap(n -> {
            if (n instanceof ScalarNode s && s.kind() == ScalarKind.INTEGER) {
                return Optional.of(s);
            }
            problems.add(path(key), n.position(), "expected a whole number, got " + n.describe());
            return Optional.empty();
        });
    }

    /** The entries of this map, for maps whose keys are data (fields, params). */
    Collection<YamlDocument.Entry> entries() {
        return node.entries().values();
    }
}
