package io.tessera.speed.floor;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.serving.store.CassandraOptions;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.ServingStore;
import io.tessera.speed.FlinkEnvironments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code speed-job floor}: a BENCHMARK FLOOR, not part of the platform. The least a speed layer on this
 * stack can do per event: consume the pipeline's topic with the speed layer's KafkaSource settings and
 * Flink environment, and upsert the same Cassandra rows per record as the realtime view does (one row
 * plus the partition's static score columns, {@code <pipeline>.floor_view}, same async write pattern and
 * checkpoint flush as {@code RealtimeViewSink}). No decoding beyond the key, no state, no lake, no
 * scoring. bench/speed-load.sh runs it beside the speed layer and reports the ratios.
 */
@Command(name = "floor", mixinStandardHelpOptions = true, description = "Benchmark floor: consume the topic and upsert the same Cassandra rows"
        + " per record as the realtime view, nothing else.")
public final class FloorCommand implements Callable<Integer> {

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML): its name is the keyspace.")
    Path spec;

    @Option(names = "--topic", description = "Topic to consume (default: the spec's).")
    String topic;

    @Option(names = "--kafka", required = true, description = "Kafka bootstrap servers.")
    String kafka;

    @Mixin
    CassandraOptions cassandra;

    @Option(names = "--state-dir", required = true, paramLabel = "DIR", description = "Checkpoints.")
    Path stateDir;

    @Option(names = "--parallelism", defaultValue = "1", description = "Tasks per operator (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--checkpoint-interval", required = true, description = "ISO-8601 duration: the speed layer's it is compared with.")
    Duration checkpointInterval;

    @Option(names = "--partitions", defaultValue = "2", description = "Partitions of the topic if it is created here (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--rest-port", defaultValue = "8081", description = "Flink's REST API on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int restPort;

    @Override
    public Integer call() throws Exception {
        PipelineSpec parsed = PipelineSpecs.load(spec);
        CassandraTarget target = cassandra.target();
        try (ServingStore store = ServingStore.open(target, parsed.name(), parsed.serving().view())) {
            store.migrate();   // the keyspace
        }
        FloorViewSink.createTable(target, parsed.name());
        String source = topic != null ? topic : parsed.source().topic();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            if (!admin.listTopics().names().get().contains(source)) {
                admin.createTopics(List.of(new NewTopic(source, partitions, (short) 1))).all().get();
            }
        }
        StreamExecutionEnvironment env = FlinkEnvironments.streaming(new FlinkEnvironments.Streaming(parallelism, checkpointInterval,
                stateDir.resolve("checkpoints"), Optional.empty(), restPort, 0));
        KafkaSource<FloorRecord> records = KafkaSource.<FloorRecord>builder()
                .setBootstrapServers(kafka)
                .setTopics(source)
                .setGroupId("tessera-floor-" + parsed.name())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new FloorRecord.Schema())
                .build();
        env.fromSource(records, WatermarkStrategy.noWatermarks(), "kafka " + source).uid("source")
                .sinkTo(new FloorViewSink(target, parsed.name(), 256)).uid("floor-view").name("floor view");
        System.out.println("benchmark floor of " + parsed.name() + " on " + source + ": pid " + ProcessHandle.current().pid()
                + "; Flink REST http://127.0.0.1:" + restPort);
        env.execute("tessera-floor-" + parsed.name());
        return 0;
    }
}
