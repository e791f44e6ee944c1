package io.tessera.speed.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.featurestore.lake.QuarantinedRecord;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A quarantined record on the dead-letter topic {@code <topic>.dlq}: a JSON object with the record as it
 * arrived, the reason, the detail, its source and when; keyed by the reason, so a consumer can follow one
 * kind of failure.
 */
public final class DeadLetterSchema implements KafkaRecordSerializationSchema<QuarantinedRecord> {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;

    public DeadLetterSchema(String topic) {
        this.topic = topic;
    }

    public static String topic(String sourceTopic) {
        return sourceTopic + ".dlq";
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(QuarantinedRecord record, KafkaSinkContext context, Long timestamp) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", record.reason());
        body.put("detail", record.detail());
        body.put("raw_record", record.rawRecord());
        body.put("ingest_source", record.ingestSource());
        body.put("quarantined_at", record.quarantinedAt());
        try {
            return new ProducerRecord<>(topic, record.reason().getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a dead letter", e);
        }
    }
}
