package io.tessera.featurestore.lake;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One file ingested into a pipeline's lake, as {@code lake.<pipeline>.ingests} (the ingest log) holds it:
 * what makes an ingest idempotent for as long as the lake lives. Snapshot summaries record the same, but
 * expiring snapshots erases them; this row stays.
 *
 * <p>Layout version {@link #VERSION} (also the table property {@link #VERSION_PROPERTY}): a reader that
 * finds a newer one refuses the table rather than guess. One row per file; a row repaired from a
 * snapshot committed before the log existed has null {@code source}, {@code duplicates} and {@code quarantined}.
 *
 * @param fileSha256 the file's SHA-256, hex: the ingest's id (the snapshot summary's {@code tessera.ingest-id})
 * @param source the file's name as its events' {@code ingest_source} holds it; null if not recorded
 * @param events events appended
 * @param duplicates events not appended because their (key, id) was in the lake or earlier in the file; null if not recorded
 * @param quarantined records quarantined; null if not recorded
 * @param snapshotId the snapshot of {@code events} that carries the file's events
 * @param ingestedAt that snapshot's commit time, UTC epoch milliseconds
 */
public record IngestRecord(String fileSha256, String source, long events, Long duplicates, Long quarantined, long snapshotId,
        long ingestedAt) implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int VERSION = 1;
    public static final String VERSION_PROPERTY = "tessera.ingests.layout-version";

    public static final String FILE_SHA256 = "file_sha256";

    static final List<LakeColumn> COLUMNS = List.of(
            LakeColumn.required(FILE_SHA256, LakeColumn.Type.STRING),
            LakeColumn.optional("source", LakeColumn.Type.STRING),
            LakeColumn.required("events", LakeColumn.Type.LONG),
            LakeColumn.optional("duplicates", LakeColumn.Type.LONG),
            LakeColumn.optional("quarantined", LakeColumn.Type.LONG),
            LakeColumn.required("snapshot_id", LakeColumn.Type.LONG),
            LakeColumn.required("ingested_at", LakeColumn.Type.TIMESTAMP));

    public IngestRecord {
        Objects.requireNonNull(fileSha256, "fileSha256");
    }
}
