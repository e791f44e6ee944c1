package io.tessera.speed.job;

import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.EpochBuckets;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.contract.SourceTopic;
import io.tessera.featurestore.lake.QuarantinedRecord;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.speed.control.ControlMessageSchema;
import io.tessera.speed.lake.LakeSinks;
import io.tessera.speed.lake.PipelineLake;
import io.tessera.speed.lookup.BatchLookup;
import io.tessera.speed.lookup.LookedUp;
import io.tessera.speed.score.AcceptedEvent;
import io.tessera.speed.score.RealtimeScoring;
import io.tessera.speed.sink.DeadLetterSchema;
import io.tessera.speed.sink.RealtimeViewSink;
import io.tessera.speed.source.DecodeRecords;
import io.tessera.speed.source.DecodedRecord;
import io.tessera.speed.source.SourceRecord;
import io.tessera.speed.source.SourceRecordSchema;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The speed layer's dataflow, every operator with a fixed uid so that state survives a restore:
 *
 * <pre>
 * Kafka &lt;topic&gt; ─► decode ─┬─► batch lookup (async) ─► keyBy(entity) ─► scoring ◄── control (broadcast)
 *                          │                                                  ├─► lake.events      (accepted events)
 *                          │                                                  ├─► realtime view    (Cassandra)
 *                          │                                                  ├─► lake.scores
 *                          └─ rejected ─────────────┬──── late ───────────────┘
 *                                                   └─► lake.quarantine + &lt;topic&gt;.dlq
 * </pre>
 */
public final class SpeedTopology {

    /**
     * @param generation the speed-layer generation this run writes under ({@link SnapshotLineage})
     * @param buckets the generation's epochs per bucket of realtime rows
     * @param bounded read the topic up to its end offsets at start, then finish (tests, backfills)
     * @param cacheSize keys whose batch lookups each task keeps
     * @param maxInFlight asynchronous Cassandra writes per task
     */
    public record Settings(SpecText spec, String kafka, CassandraTarget cassandra, long generation, EpochBuckets buckets, boolean bounded,
            int cacheSize, int maxInFlight, Duration lookupTimeout) {
    }

    private SpeedTopology() {
    }

    public static void build(StreamExecutionEnvironment env, Settings settings, PipelineLake lake, CatalogLoader catalog) {
        PipelineSpec spec = settings.spec().parse();
        String topic = spec.source().topic();

        KafkaSourceBuilder<SourceRecord> records = KafkaSource.<SourceRecord>builder()
                .setBootstrapServers(settings.kafka())
                .setTopics(topic)
                .setGroupId(groupId(spec))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new SourceRecordSchema());
        KafkaSourceBuilder<String> control = KafkaSource.<String>builder()
                .setBootstrapServers(settings.kafka())
                .setTopics(ControlMessage.topic(spec.name()))
                .setGroupId(groupId(spec) + "-control")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new ControlMessageSchema());
        if (settings.bounded()) {
            records.setBounded(OffsetsInitializer.latest());
            control.setBounded(OffsetsInitializer.latest());
        }

        SingleOutputStreamOperator<DecodedRecord> decoded = env
                .fromSource(records.build(), WatermarkStrategy.noWatermarks(), "kafka " + topic).uid("source")
                .process(new DecodeRecords(settings.spec())).uid("decode").name("decode");
        // one shuffle, after the lookup: a producer keyed by entity keeps a key on one partition, so each
        // lookup task's cache sees the same keys anyway
        DataStream<LookedUp> lookedUp = AsyncDataStream.orderedWait(decoded,
                new BatchLookup(settings.spec(), settings.cassandra(), settings.generation(), settings.cacheSize()),
                settings.lookupTimeout().toMillis(), TimeUnit.MILLISECONDS, settings.maxInFlight()).uid("lookup").name("batch lookup");
        BroadcastStream<String> controlMessages = env
                .fromSource(control.build(), WatermarkStrategy.noWatermarks(), "kafka " + ControlMessage.topic(spec.name()))
                .uid("control-source").broadcast(RealtimeScoring.CONTROL);
        SingleOutputStreamOperator<AcceptedEvent> accepted = lookedUp
                .keyBy(record -> record.record.entity, Types.STRING)
                .connect(controlMessages)
                .process(new RealtimeScoring(settings.spec(), settings.cassandra(), settings.generation(), settings.buckets(),
                        settings.cacheSize()))
                .uid("scoring").name("scoring");

        accepted.getSideOutput(RealtimeScoring.REALTIME)
                .sinkTo(new RealtimeViewSink(settings.spec(), settings.cassandra(), settings.maxInFlight())).uid("realtime-view")
                .name("realtime view");
        DataStream<QuarantinedRecord> quarantined = decoded.getSideOutput(DecodeRecords.QUARANTINE)
                .union(accepted.getSideOutput(RealtimeScoring.QUARANTINE));
        quarantined.sinkTo(KafkaSink.<QuarantinedRecord>builder()
                        .setBootstrapServers(settings.kafka())
                        .setRecordSerializer(new DeadLetterSchema(DeadLetterSchema.topic(topic)))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build())
                .uid("dead-letters").name("dead letters");
        LakeSinks sinks = new LakeSinks(lake, catalog, settings.generation(), settings.buckets());
        sinks.events(accepted);
        sinks.quarantine(quarantined);
        sinks.scores(accepted.getSideOutput(RealtimeScoring.SCORES));
    }

    /** Kafka consumer group of a pipeline's speed layer ({@link SourceTopic#speedConsumerGroup}). */
    public static String groupId(PipelineSpec spec) {
        return SourceTopic.speedConsumerGroup(spec.name());
    }
}
