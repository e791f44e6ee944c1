package io.tessera.speed.source;

import io.tessera.featurestore.contract.SourceTopic;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Kafka records of the pipeline's topic to {@link SourceRecord}s; never fails on a value: bad text is flagged, not thrown. */
public final class SourceRecordSchema implements KafkaRecordDeserializationSchema<SourceRecord> {

    private static final long serialVersionUID = 1L;

    private transient CharsetDecoder strict;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
        byte[] bytes = record.value() == null ? new byte[0] : record.value();
        String source = "kafka:" + record.topic() + "/" + record.partition() + "@" + record.offset();
        Header header = record.headers().lastHeader(SourceTopic.CSV_HEADER);
        String csvHeader = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (strict == null) {   // one per reader: not serializable, and not worth allocating per record
            strict = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        try {
            out.collect(new SourceRecord(strict.decode(ByteBuffer.wrap(bytes)).toString(), source, false, csvHeader, key));
        } catch (CharacterCodingException e) {
            out.collect(new SourceRecord(new String(bytes, StandardCharsets.UTF_8), source, true, csvHeader, key));
        }
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return TypeInformation.of(SourceRecord.class);
    }
}
