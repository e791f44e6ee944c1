package io.tessera.featurestore.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What a retrain tells the process that launched it (the scheduler), in a file it names with
 * {@code --summary-file}: the model it trained or found, the view it published, the cutoff and snapshot
 * it ran on. JSON, format {@code tessera-retrain/1}; a reader refuses another format or a missing field,
 * naming it.
 *
 * <pre>{"format": "tessera-retrain/1", "pipeline": P, "model_version": 3, "view_version": 5, "cutoff": "2026-01-02T02:00:00Z",
 *  "snapshot_id": 123, "resumed": false}</pre>
 */
public record RetrainSummary(String pipeline, long modelVersion, long viewVersion, Instant cutoff, long snapshotId, boolean resumed) {

    public static final String FORMAT = "tessera-retrain/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public void write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("pipeline", pipeline);
        root.put("model_version", modelVersion);
        root.put("view_version", viewVersion);
        root.put("cutoff", cutoff.toString());
        root.put("snapshot_id", snapshotId);
        root.put("resumed", resumed);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, JSON.writeValueAsString(root));
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** @throws IOException if the file cannot be read or is not a summary of this format */
    public static RetrainSummary read(Path file) throws IOException {
        JsonNode root = JSON.readTree(Files.readString(file));
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException(file + ": not a retrain summary of format " + FORMAT);
        }
        try {
            return new RetrainSummary(field(root, "pipeline", file).asText(), field(root, "model_version", file).asLong(),
                    field(root, "view_version", file).asLong(), Instant.parse(field(root, "cutoff", file).asText()),
                    field(root, "snapshot_id", file).asLong(), field(root, "resumed", file).asBoolean());
        } catch (DateTimeParseException e) {
            throw new IOException(file + ": cutoff is not an instant: " + e.getMessage());
        }
    }

    private static JsonNode field(JsonNode root, String name, Path file) throws IOException {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            throw new IOException(file + ": retrain summary without " + name);
        }
        return value;
    }
}
