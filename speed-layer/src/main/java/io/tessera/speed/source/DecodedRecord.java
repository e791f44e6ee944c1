package io.tessera.speed.source;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.tile.Selection;

/**
 * A record that decoded into a valid event, on its way to its key's task: the key, the event as
 * {@link EventCodec} bytes with the aggregations it enters, and the record's text and origin for the lake
 * and quarantine. It is decoded once: the key's task reads the typed event back instead of parsing the
 * text and evaluating its conditions again. A Flink POJO of plain fields and arrays, so no Kryo.
 */
public final class DecodedRecord {

    public String entity;
    public String value;
    public String source;
    public byte[] event;
    /** {@link Selection#bits()} */
    public long[] selection;

    public DecodedRecord() {
    }

    public DecodedRecord(SourceRecord record, RecordDecoding.Valid valid, EventCodec codec) {
        this.entity = valid.entity();
        this.value = record.value;
        this.source = record.source;
        this.event = codec.encode(valid.event());
        this.selection = valid.selection().bits();
    }

    public Event event(EventCodec codec) {
        return codec.decode(event);
    }

    public Selection selection() {
        return Selection.of(selection);
    }
}
