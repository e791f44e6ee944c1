package io.tessera.speed.source;

/**
 * One Kafka record of the pipeline's topic as the job reads it: its value's text and where it came from.
 * A Flink POJO (public fields, no-arg constructor) so that it crosses the network without Kryo.
 */
public final class SourceRecord {

    /** The value as UTF-8 text; a value that is not valid UTF-8 keeps its replacement characters and is flagged. */
    public String value;
    /** {@code kafka:<topic>/<partition>@<offset>}: the record's identity in the lake and in quarantine. */
    public String source;
    /** True if the value's bytes were not valid UTF-8. */
    public boolean malformedText;
    /** A CSV value's column names (Kafka header {@link io.tessera.featurestore.contract.SourceTopic#CSV_HEADER}), or null: the spec's order. */
    public String csvHeader;
    /** The record's Kafka key as text, or null when it has none: producers key by entity (docs/architecture.md). */
    public String kafkaKey;

    public SourceRecord() {
    }

    public SourceRecord(String value, String source, boolean malformedText, String csvHeader, String kafkaKey) {
        this.value = value;
        this.source = source;
        this.malformedText = malformedText;
        this.csvHeader = csvHeader;
        this.kafkaKey = kafkaKey;
    }
}
