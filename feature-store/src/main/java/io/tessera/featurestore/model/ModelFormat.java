package io.tessera.featurestore.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * Reads and writes {@link ModelArtifact}s as JSON with a checksum.
 *
 * <p>The checksum, {@code "checksum": "sha256:<hex>"}, is the SHA-256 of the artifact's content (every
 * other field) in a canonical binary form: object keys sorted, numbers by value (integers as 64-bit
 * integers, decimals by their IEEE-754 bits), strings as UTF-8, each item tagged and length-prefixed.
 * It depends on the values, not on the JSON text: whitespace, key order and how a JVM prints a double
 * do not change it; any edited value does, and loading then fails.
 */
public final class ModelFormat {

    private static final String CHECKSUM = "checksum";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ModelFormat() {
    }

    public static String toJson(ModelArtifact artifact) {
        ObjectNode tree = JSON.valueToTree(artifact);
        tree.put(CHECKSUM, checksum(tree));
        try {
            return JSON.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write model " + artifact.name(), e);
        }
    }

    /**
     * @throws ModelFormatException if the text is not an artifact of this format, its checksum does not
     *     match, or its content is inconsistent
     */
    public static ModelArtifact fromJson(String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new ModelFormatException("a model artifact is a JSON object");
        }
        JsonNode stored = object.remove(CHECKSUM);
        if (stored == null || !stored.isTextual()) {
            throw new ModelFormatException("the artifact has no checksum");
        }
        String actual = checksum(object);
        if (!actual.equals(stored.asText())) {
            throw new ModelFormatException("checksum mismatch: the artifact says " + stored.asText()
                    + " but its content hashes to " + actual + " (edited or corrupted)");
        }
        try {
            return JSON.treeToValue(object, ModelArtifact.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            throw cause instanceof ModelFormatException m ? m : new ModelFormatException(e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("not a model artifact: " + e.getOriginalMessage(), e);
        }
    }

    /** The checksum the artifact is written with, {@code sha256:<hex>}. */
    public static String checksum(ModelArtifact artifact) {
        return checksum(JSON.valueToTree(artifact));
    }

    /**
     * @throws ModelFormatException as {@link #fromJson}
     * @throws UncheckedIOException if the file cannot be read
     */
    public static ModelArtifact read(Path file) {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file, e);
        }
    }

    /** Writes the artifact atomically: readers see the old file or the whole new one. */
    public static void write(ModelArtifact artifact, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.writeString(temp, toJson(artifact), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model " + file, e);
        }
    }

    private static String checksum(JsonNode content) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            canonical(content, out);
            out.flush();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return "sha256:" + HexFormat.of().formatHex(sha.digest(bytes.toByteArray()));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void canonical(JsonNode node, DataOutputStream out) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    names.add(it.next());
                }
                names.sort(null);
                out.writeByte('O');
                out.writeInt(names.size());
                for (String name : names) {
                    text(name, out);
                    canonical(node.get(name), out);
                }
            }
            case ARRAY -> {
                out.writeByte('A');
                out.writeInt(node.size());
                for (JsonNode item : node) {
                    canonical(item, out);
                }
            }
            case STRING -> {
                out.writeByte('S');
                text(node.textValue(), out);
            }
            case NUMBER -> {
                if (node.isIntegralNumber() && node.canConvertToLong()) {
                    out.writeByte('I');
                    out.writeLong(node.longValue());
                } else {
                    out.writeByte('D');
                    out.writeLong(Double.doubleToLongBits(node.doubleValue()));
                }
            }
            case BOOLEAN -> out.writeByte(node.booleanValue() ? 'T' : 'F');
            case NULL -> out.writeByte('N');
            default -> throw new ModelFormatException("unexpected JSON value " + node.getNodeType());
        }
    }

    private static void text(String s, DataOutputStream out) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
