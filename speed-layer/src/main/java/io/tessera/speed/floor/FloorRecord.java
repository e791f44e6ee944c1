package io.tessera.speed.floor;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record as the benchmark floor sees it: the key (the entity), the Kafka timestamp, the value's bytes undecoded. */
public final class FloorRecord {

    public String entity;
    public long timestamp;
    public byte[] value;

    public FloorRecord() {
    }

    FloorRecord(String entity, long timestamp, byte[] value) {
        this.entity = entity;
        this.timestamp = timestamp;
        this.value = value;
    }

    /** Extracts the key and nothing else; records without a key are skipped (the speed layer quarantines them). */
    static final class Schema implements KafkaRecordDeserializationSchema<FloorRecord> {

        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<FloorRecord> out) {
            if (record.key() != null) {
                out.collect(new FloorRecord(new String(record.key(), StandardCharsets.UTF_8), record.timestamp(),
                        record.value() == null ? new byte[0] : record.value()));
            }
        }

        @Override
        public TypeInformation<FloorRecord> getProducedType() {
            return TypeInformation.of(FloorRecord.class);
        }
    }
}
