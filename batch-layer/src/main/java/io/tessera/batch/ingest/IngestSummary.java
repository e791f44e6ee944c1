package io.tessera.batch.ingest;

import java.nio.file.Path;
import java.util.Map;

/**
 * What one ingest did. Records read = events + quarantined + skipped (header and blank lines): the
 * counts reconcile, nothing is dropped silently.
 */
public record IngestSummary(Path file, String ingestId, boolean alreadyIngested, long events, Map<String, Long> quarantined,
        long skippedLines, long eventsSnapshotId) {

    static IngestSummary alreadyIngested(Path file, String ingestId) {
        return new IngestSummary(file, ingestId, true, 0, Map.of(), 0, -1);
    }

    public long quarantinedTotal() {
        return quarantined.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
        if (alreadyIngested) {
            return "ingest: " + file + " was already ingested (sha256 " + ingestId.substring(0, 12) + "...): nothing to do";
        }
        return String.format("ingest: %s -> %d events appended (snapshot %d), %d quarantined %s, %d header/blank lines skipped",
                file, events, eventsSnapshotId, quarantinedTotal(), quarantined, skippedLines);
    }
}
