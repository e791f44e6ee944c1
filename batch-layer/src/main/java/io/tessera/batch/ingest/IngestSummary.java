package io.tessera.batch.ingest;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What one ingest did. The counts reconcile, nothing is dropped silently:
 * {@code linesRead = events + duplicates + quarantined + skippedLines} (header and blank lines).
 *
 * @param alreadyIngested true when nothing was written because the file was in already (an earlier
 *     ingest, or a concurrent one that committed first: {@code detail} says which)
 * @param idField the spec's {@code source.id}, by which duplicates are recognised; empty: no deduplication
 * @param duplicates events whose (entity key, id) is in the lake already or earlier in the same file
 * @param eventsSnapshotId the snapshot of {@code events} this ingest committed, -1 if none
 */
public record IngestSummary(Path file, String ingestId, boolean alreadyIngested, String detail, long linesRead, long events,
        Optional<String> idField, long duplicates, Map<String, Long> quarantined, long skippedLines, long eventsSnapshotId) {

    static IngestSummary alreadyIngested(Path file, String ingestId, String how) {
        return new IngestSummary(file, ingestId, true, how, 0, 0, Optional.empty(), 0, Map.of(), 0, -1);
    }

    public long quarantinedTotal() {
        return quarantined.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
        if (alreadyIngested) {
            return "ingest: " + file + " was already ingested (sha256 " + ingestId.substring(0, 12) + "...): " + detail + "; nothing to do";
        }
        String deduplication = idField.map(id -> String.format("%d duplicates not appended (their %s and key are in the lake or earlier in the file)",
                duplicates, id)).orElse("no deduplication (the spec has no source.id: a re-sent event is appended again)");
        return String.format("ingest: %s -> %d lines read: %d events appended (snapshot %d), %s, %d quarantined %s, "
                        + "%d header/blank lines skipped%s",
                file, linesRead, events, eventsSnapshotId, deduplication, quarantinedTotal(), quarantined, skippedLines,
                detail.isEmpty() ? "" : "; " + detail);
    }
}
