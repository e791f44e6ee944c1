package io.tessera.speed.source;

/**
 * A record that decoded into a valid event, on its way to its key's task: the key and the record's text,
 * not the typed event (a map would cross the network through Kryo; decoding again on the other side is
 * cheaper and uses the same code). A Flink POJO.
 */
public final class DecodedRecord {

    public String entity;
    public String value;
    public String source;
    public String csvHeader;

    public DecodedRecord() {
    }

    public DecodedRecord(String entity, SourceRecord record) {
        this.entity = entity;
        this.value = record.value;
        this.source = record.source;
        this.csvHeader = record.csvHeader;
    }
}
