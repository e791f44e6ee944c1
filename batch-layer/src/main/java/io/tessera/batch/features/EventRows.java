package io.tessera.batch.features;

import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tessera.batch.lake.PipelineTables;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.spec.FieldType;
import io.tessera.featurestore.spec.PipelineSpec;
import org.apache.spark.sql.Row;

/**
 * Turns rows of {@code lake.<pipeline>.events} back into feature-store {@link Event}s, typed as the
 * decoder types them (int and long as Long), so batch features see exactly what the speed layer sees.
 */
public final class EventRows implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> fields;
    private final List<FieldType> types;
    private final String entityKey;

    public EventRows(PipelineSpec spec) {
        this.fields = new ArrayList<>(spec.source().fields().keySet());
        this.types = new ArrayList<>(spec.source().fields().values());
        this.entityKey = spec.entity().key();
    }

    /** The columns to select from the events table, in the order {@link #toEvent} and {@link #ingestedAt} read them. */
    public String[] columns() {
        List<String> columns = new ArrayList<>(fields);
        columns.add(PipelineTables.EVENT_TIME);
        columns.add(PipelineTables.INGESTED_AT);
        return columns.toArray(String[]::new);
    }

    public String entityKey() {
        return entityKey;
    }

    /** @param row a row with {@link #columns()} */
    public Event toEvent(Row row) {
        Map<String, Object> values = new HashMap<>(fields.size() * 2);
        for (int i = 0; i < fields.size(); i++) {
            Object value = row.get(i);
            if (value != null) {
                values.put(fields.get(i), types.get(i) == FieldType.INT ? Long.valueOf(((Number) value).longValue()) : value);
            }
        }
        return new Event(((Timestamp) row.get(fields.size())).getTime(), values);
    }

    /** When the lake received the event of a row with {@link #columns()}: what {@code point_in_time: ingestion_time} orders by. */
    public long ingestedAt(Row row) {
        return ((Timestamp) row.get(fields.size() + 1)).getTime();
    }

    /** The entity key of a row with {@link #columns()}, as text. */
    public String entityOf(Row row) {
        return String.valueOf(row.get(fields.indexOf(entityKey)));
    }
}
