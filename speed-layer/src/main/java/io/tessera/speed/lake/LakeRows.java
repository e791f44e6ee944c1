package io.tessera.speed.lake;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.lake.QuarantinedRecord;
import io.tessera.featurestore.lake.ScoreRecord;
import io.tessera.featurestore.lake.LakeTables;
import io.tessera.speed.score.AcceptedEvent;
import java.io.Serializable;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Rows of the lake tables as Flink's Iceberg sink takes them, by the columns of the table as it is in the
 * catalog (so a column the spec dropped reads null, and column order is the table's). The layouts are
 * {@link LakeTables}'; nothing here names a column but through it.
 */
final class LakeRows {

    private LakeRows() {
    }

    /** Converts accepted events to rows of {@code events} with the table's schema. */
    static final class Events implements Serializable {

        private static final long serialVersionUID = 1L;

        /** What a column of the table holds, decided once per column instead of per event. */
        private enum Source {
            EVENT_TIME, RAW_RECORD, INGEST_SOURCE, INGESTED_AT, SPEED_GENERATION, SPEED_EPOCH, FIELD
        }

        private final String[] names;
        private final Type.TypeID[] types;
        private final Source[] sources;

        Events(Schema schema) {
            this.names = schema.columns().stream().map(Types.NestedField::name).toArray(String[]::new);
            this.types = schema.columns().stream().map(field -> field.type().typeId()).toArray(Type.TypeID[]::new);
            this.sources = java.util.Arrays.stream(names).map(name -> switch (name) {
                case LakeTables.EVENT_TIME -> Source.EVENT_TIME;
                case LakeTables.RAW_RECORD -> Source.RAW_RECORD;
                case LakeTables.INGEST_SOURCE -> Source.INGEST_SOURCE;
                case LakeTables.INGESTED_AT -> Source.INGESTED_AT;
                case LakeTables.SPEED_GENERATION -> Source.SPEED_GENERATION;
                case LakeTables.SPEED_EPOCH -> Source.SPEED_EPOCH;
                default -> Source.FIELD;
            }).toArray(Source[]::new);
        }

        RowData row(AcceptedEvent accepted) {
            Event event = accepted.event();
            GenericRowData row = new GenericRowData(names.length);
            for (int i = 0; i < names.length; i++) {
                row.setField(i, switch (sources[i]) {
                    case EVENT_TIME -> TimestampData.fromEpochMillis(event.time());
                    case RAW_RECORD -> StringData.fromString(accepted.rawRecord());
                    case INGEST_SOURCE -> StringData.fromString(accepted.source());
                    case INGESTED_AT -> TimestampData.fromEpochMillis(accepted.ingestedAt());
                    case SPEED_GENERATION -> accepted.generation();
                    case SPEED_EPOCH -> accepted.epoch();
                    case FIELD -> value(event.get(names[i]), types[i]);
                });
            }
            return row;
        }

        private static Object value(Object value, Type.TypeID type) {
            if (value == null) {
                return null;
            }
            return switch (type) {
                case STRING -> StringData.fromString(value.toString());
                case INTEGER -> ((Number) value).intValue();
                case LONG -> ((Number) value).longValue();
                case DOUBLE -> ((Number) value).doubleValue();
                case BOOLEAN -> value;
                default -> throw new IllegalStateException("the events table has a column of type " + type + " no spec field has");
            };
        }
    }

    static RowData quarantine(QuarantinedRecord record) {
        return GenericRowData.of(StringData.fromString(record.rawRecord()), StringData.fromString(record.reason()),
                StringData.fromString(record.detail()), StringData.fromString(record.ingestSource()),
                TimestampData.fromEpochMillis(record.quarantinedAt()));
    }

    static RowData score(ScoreRecord score) {
        return GenericRowData.of(StringData.fromString(score.entity()), TimestampData.fromEpochMillis(score.eventTime()), score.score(),
                StringData.fromString(score.modelName()), score.modelVersion(), StringData.fromString(score.modelRole()), score.viewVersion(),
                score.snapshotId(), TimestampData.fromEpochMillis(score.processedAt()), score.generation(), score.epoch(), score.served());
    }
}
