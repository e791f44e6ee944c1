package io.tessera.speed.control;

import io.tessera.featurestore.contract.ControlMessageCodec;
import io.tessera.featurestore.contract.ControlMessageFormatException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages of {@code <pipeline>.control}, checked with their one codec and passed on as their text (a
 * small string crosses the broadcast without Kryo; each task parses it again). A message this build
 * cannot read (a newer format, a hand-written mistake) is logged and skipped: it must not stop the
 * scoring of events, and the next publication supersedes it anyway.
 */
public final class ControlMessageSchema implements KafkaRecordDeserializationSchema<String> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ControlMessageSchema.class);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
        String text = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
        try {
            ControlMessageCodec.parse(text);
            out.collect(text);
        } catch (ControlMessageFormatException e) {
            LOG.error("control message at {}/{}@{} skipped: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return TypeInformation.of(String.class);
    }
}
