package io.tessera.featurestore.lake;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A record that did not become an event, as {@code lake.<pipeline>.quarantine} and the dead-letter topic
 * hold it: nothing is dropped silently, and the reason is one of the stable reasons of
 * {@link io.tessera.featurestore.event.DecodeResult} or {@code late}.
 *
 * @param rawRecord the record exactly as it arrived (a line of a file, a Kafka record's value)
 * @param reason stable, for dashboards and reconciliation
 * @param detail for people: which field and what was wrong
 * @param ingestSource where it came from: a file's path and hash, or {@code kafka:<topic>/<partition>@<offset>}
 * @param quarantinedAt UTC epoch milliseconds
 */
public record QuarantinedRecord(String rawRecord, String reason, String detail, String ingestSource, long quarantinedAt)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Quarantine reason of an event later than {@code max_lateness} behind its key's newest event. */
    public static final String LATE = "late";
    /** Quarantine reason of an event whose id ({@code source.id}) its key saw within max_lateness: a re-send, not counted twice. */
    public static final String DUPLICATE = "duplicate";

    static final List<LakeColumn> COLUMNS = List.of(
            LakeColumn.required(LakeTables.RAW_RECORD, LakeColumn.Type.STRING),
            LakeColumn.required("reason", LakeColumn.Type.STRING),
            LakeColumn.required("detail", LakeColumn.Type.STRING),
            LakeColumn.required(LakeTables.INGEST_SOURCE, LakeColumn.Type.STRING),
            LakeColumn.required("quarantined_at", LakeColumn.Type.TIMESTAMP));

    public QuarantinedRecord {
        Objects.requireNonNull(rawRecord, "rawRecord");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(ingestSource, "ingestSource");
    }
}
