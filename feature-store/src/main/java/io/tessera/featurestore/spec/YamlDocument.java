package io.tessera.featurestore.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree of nodes that remember their line and column, so every problem found later
 * can say where it is. Jackson's YAML parser does the parsing; it keeps no positions in its own trees.
 */
final class YamlDocument {

    /** 1-based line and column. */
    record Position(int line, int column) {
    }

    sealed interface Node permits MapNode, ListNode, ScalarNode {
        Position position();

        /** How the node reads in a message: "a list", "text 'abc'", "the number 5". */
        String describe();
    }

    record Entry(String key, Position keyPosition, Node value) {
    }

    record MapNode(Position position, Map<String, Entry> entries) implements Node {
        @Override
        public String describe() {
            return "a map";
        }
    }

    record ListNode(Position position, List<Node> items) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }

    enum ScalarKind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    /**
     * @param quoted whether the scalar was written in quotes: then its text starts one column to the
     *     right of {@link #position()}, which matters when pointing inside an expression
     */
    record ScalarNode(Position position, ScalarKind kind, String text, boolean quoted) implements Node {
        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "text '" + text + "'";
                case INTEGER, FLOAT -> "the number " + text;
                case BOOLEAN -> text;
                case NULL -> "nothing";
            };
        }
    }

    /** The root node (null for an empty document) and any duplicate keys found while reading. */
    record Parsed(Node root, List<SpecProblem> duplicateKeys) {
    }

    /** A document that is not YAML at all. */
    static final class SyntaxError extends Exception {
        final int line;
        final int column;

        SyntaxError(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String[] lines;
    private final JsonParser parser;
    private final List<SpecProblem> duplicates = new ArrayList<>();

    private YamlDocument(String text, JsonParser parser) {
        this.lines = text.split("\r?\n", -1);
        this.parser = parser;
    }

    static Parsed parse(String text) throws SyntaxError {
        try (JsonParser parser = FACTORY.createParser(text)) {
            YamlDocument document = new YamlDocument(text, parser);
            JsonToken first = parser.nextToken();
            Node root = first == null ? null : document.node(first, "");
            return new Parsed(root, List.copyOf(document.duplicates));
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new SyntaxError("cannot read YAML: " + e.getMessage(), 1, 1);
        }
    }

    private Node node(JsonToken token, String path) throws IOException {
        Position position = position(parser.currentTokenLocation());
        return switch (token) {
            case START_OBJECT -> map(position, path);
            case START_ARRAY -> list(position, path);
            case VALUE_STRING -> scalar(position, ScalarKind.STRING);
            case VALUE_NUMBER_INT -> scalar(position, ScalarKind.INTEGER);
            case VALUE_NUMBER_FLOAT -> scalar(position, ScalarKind.FLOAT);
            case VALUE_TRUE, VALUE_FALSE -> scalar(position, ScalarKind.BOOLEAN);
            case VALUE_NULL -> scalar(position, ScalarKind.NULL);
            default -> throw new IOException("unexpected YAML token " + token);
        };
    }

    private MapNode map(Position position, String path) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Position keyPosition = position(parser.currentTokenLocation());
            String childPath = path.isEmpty() ? key : path + "." + key;
            Node value = node(parser.nextToken(), childPath);
            Entry previous = entries.get(key);
            if (previous != null) {
                duplicates.add(new SpecProblem(childPath, keyPosition.line(), keyPosition.column(),
                        "duplicate key '" + key + "' (first at line " + previous.keyPosition().line() + ")"));
            } else {
                entries.put(key, new Entry(key, keyPosition, value));
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IOException("unexpected YAML token " + token + " in a map");
        }
        return new MapNode(position, Collections.unmodifiableMap(entries));
    }

    private ListNode list(Position position, String path) throws IOException {
        List<Node> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            items.add(node(token, path + "[" + items.size() + "]"));
        }
        return new ListNode(position, List.copyOf(items));
    }

    private ScalarNode scalar(Position position, ScalarKind kind) throws IOException {
        String text = kind == ScalarKind.NULL ? "" : parser.getText();
        return new ScalarNode(position, kind, text, startsWithQuote(position));
    }

    private boolean startsWithQuote(Position position) {
        if (position.line() < 1 || position.line() > lines.length) {
            return false;
        }
        String line = lines[position.line() - 1];
        int index = position.column() - 1;
        return index >= 0 && index < line.length() && (line.charAt(index) == '"' || line.charAt(index) == '\'');
    }

    private static Position position(JsonLocation location) {
        return new Position(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }

    private static SyntaxError syntaxError(JsonProcessingException e) {
        Throwable cause = e.getCause();
        if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
            String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
            return new SyntaxError("invalid YAML: " + context + marked.getProblem(),
                    marked.getProblemMark().getLine() + 1, marked.getProblemMark().getColumn() + 1);
        }
        JsonLocation location = e.getLocation();
        return new SyntaxError("invalid YAML: " + e.getOriginalMessage(),
                location == null ? 1 : Math.max(1, location.getLineNr()),
                location == null ? 1 : Math.max(1, location.getColumnNr()));
    }
}
