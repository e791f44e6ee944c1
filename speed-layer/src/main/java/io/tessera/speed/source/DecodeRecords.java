package io.tessera.speed.source;

import io.tessera.featurestore.lake.QuarantinedRecord;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.speed.SpeedMetrics;
import io.tessera.speed.job.SpecText;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The first step of every record: decoded with the spec, a valid one goes on to its key's task, an
 * invalid one to {@link #QUARANTINE} with the same reason {@code platform ingest} would give. Nothing
 * is dropped: every record leaves by exactly one of the two outputs, and both are counted.
 */
public final class DecodeRecords extends ProcessFunction<SourceRecord, DecodedRecord> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DecodeRecords.class);

    private static final long serialVersionUID = 1L;

    public static final OutputTag<QuarantinedRecord> QUARANTINE = new OutputTag<>("quarantine") {
    };

    private final SpecText spec;
    private transient RecordDecoding decoding;
    private transient EventCodec codec;
    private transient SpeedMetrics metrics;
    private transient boolean warnedKeyedOtherwise;

    public DecodeRecords(SpecText spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext context) {
        PipelineSpec parsed = spec.parse();
        decoding = new RecordDecoding(parsed);
        codec = new EventCodec(parsed);
        metrics = new SpeedMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(SourceRecord record, Context context, Collector<DecodedRecord> out) {
        metrics.received();
        if (record.malformedText) {
            reject(record, RecordDecoding.ENCODING, "the record's bytes are not valid UTF-8", context);
            return;
        }
        RecordDecoding.Outcome outcome = decoding.decode(record.value, record.csvHeader);
        if (outcome instanceof RecordDecoding.Valid valid) {
            if (!valid.entity().equals(record.kafkaKey)) {
                keyedOtherwise(record, valid.entity());
            }
            out.collect(new DecodedRecord(record, valid, codec));
        } else {
            RecordDecoding.Invalid invalid = (RecordDecoding.Invalid) outcome;
            reject(record, invalid.reason(), invalid.detail(), context);
        }
    }

    /**
     * A record whose Kafka key is not its entity: counted, and said once per task. It is still processed,
     * but its key's events may be spread over partitions and judged late out of order.
     */
    private void keyedOtherwise(SourceRecord record, String entity) {
        metrics.keyedOtherwise();
        if (!warnedKeyedOtherwise) {
            warnedKeyedOtherwise = true;
            LOG.warn("record {} has Kafka key {} but entity '{}': producers must key records by entity, or a key's events spread over"
                    + " partitions and may be quarantined as late (metric tessera.records_keyed_otherwise counts them; said once per task)",
                    record.source, record.kafkaKey == null ? "none" : "'" + record.kafkaKey + "'", entity);
        }
    }

    private void reject(SourceRecord record, String reason, String detail, Context context) {
        metrics.quarantined(reason);
        context.output(QUARANTINE, RecordDecoding.quarantined(record, reason, detail, System.currentTimeMillis()));
    }
}
