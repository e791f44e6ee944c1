package io.tessera.featurestore.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.featurestore.contract.PublishedView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * What a batch-layer job that publishes a view (a retrain, a publication between retrains) tells the
 * process that launched it (the scheduler), in a file it names with {@code --summary-file}: the view it
 * published (or found published: a re-run), its snapshot and cutoff, and the model: the one a retrain
 * trained or found, the champion scoring the view for a publication (none if it has no champion). JSON, format
 * {@value #FORMAT}; a reader refuses another format or a missing field, naming it.
 *
 * <pre>{"format": "tessera-batch-job/1", "pipeline": P, "job": "retrain", "model_version": 3, "view_version": 5,
 *  "cutoff": "2026-01-02T02:00:00Z", "snapshot_id": 123, "resumed": false}</pre>
 *
 * @param modelVersion absent ({@code null} in the file) for a view without a champion
 * @param resumed the job found its work done: a retrain re-run with the same cutoff, a publication of a lake
 *     whose every event the view serving holds already
 */
public record BatchJobSummary(String pipeline, JobRun.Job job, OptionalLong modelVersion, long viewVersion, Instant cutoff, long snapshotId,
        boolean resumed) {

    public static final String FORMAT = "tessera-batch-job/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The summary of a job that published {@code view} (or found it published), with the model {@code modelVersion}. */
    public static BatchJobSummary of(JobRun.Job job, PublishedView view, OptionalLong modelVersion, boolean resumed) {
        return new BatchJobSummary(view.pipeline(), job, modelVersion, view.viewVersion(), Instant.ofEpochMilli(view.cutoff()),
                view.snapshot().id(), resumed);
    }

    /** The summary of a publication of {@code view} (or of finding it published): its champion is the model. */
    public static BatchJobSummary publication(PublishedView view, boolean resumed) {
        OptionalLong champion = view.champion().map(ref -> OptionalLong.of(ref.version())).orElse(OptionalLong.empty());
        return of(JobRun.Job.PUBLISH, view, champion, resumed);
    }

    /** Writes the file whole or not at all (a reader never sees half of it). */
    public void write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("pipeline", pipeline);
        root.put("job", job.label());
        if (modelVersion.isPresent()) {
            root.put("model_version", modelVersion.getAsLong());
        } else {
            root.putNull("model_version");
        }
        root.put("view_version", viewVersion);
        root.put("cutoff", cutoff.toString());
        root.put("snapshot_id", snapshotId);
        root.put("resumed", resumed);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, JSON.writeValueAsString(root));
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** @throws IOException if the file cannot be read or is not a summary of this format */
    public static BatchJobSummary read(Path file) throws IOException {
        JsonNode root = JSON.readTree(Files.readString(file));
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IOException(file + ": not a batch job summary of format " + FORMAT);
        }
        JsonNode model = root.get("model_version");
        if (model == null) {
            throw new IOException(file + ": batch job summary without model_version");
        }
        try {
            return new BatchJobSummary(field(root, "pipeline", file).asText(), JobRun.Job.of(field(root, "job", file).asText()),
                    model.isNull() ? OptionalLong.empty() : OptionalLong.of(model.asLong()), field(root, "view_version", file).asLong(),
                    Instant.parse(field(root, "cutoff", file).asText()), field(root, "snapshot_id", file).asLong(),
                    field(root, "resumed", file).asBoolean());
        } catch (DateTimeParseException e) {
            throw new IOException(file + ": cutoff is not an instant: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": job is not one of retrain, publish, maintain: " + root.get("job"));
        }
    }

    private static JsonNode field(JsonNode root, String name, Path file) throws IOException {
        JsonNode value = root.get(name);
        if (value == null || value.isNull()) {
            throw new IOException(file + ": batch job summary without " + name);
        }
        return value;
    }
}
