package io.tessera.batch.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.datastax.oss.driver.api.core.CqlSession;
import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.features.BatchFeatures;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Safe publication against real Iceberg, Cassandra and Kafka: all of a view or none, and a failure leaves the previous one serving. */
@LocalStackTest({ServiceName.ICEBERG_CATALOG, ServiceName.CASSANDRA, ServiceName.KAFKA})
class BatchViewPublisherTest {

    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }


    @Test
    void aFailureDuringPublicationLeavesThePreviousViewServing(TestStack stack) throws Exception {
        String pipeline = stack.namespace();
        PipelineTables tables = new PipelineTables(spark, BatchTestData.cardFraudSpec(pipeline).spec());
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + tables.namespace());
        CassandraViews cassandra = new CassandraViews(stack.host() + ":" + stack.cassandraPort(), pipeline);
        ControlChannel control = new ControlChannel(stack.kafkaBootstrap(), pipeline);
        BatchViewPublisher publisher = new BatchViewPublisher(spark, tables, pipeline, cassandra, control);
        publisher.ensure();

        long v1 = publisher.nextViewVersion();
        publisher.publish(view(row("4111", 0.25), row("4222", 0.75)), publication(pipeline, v1, 100L));

        assertThat(cassandra.currentVersion(pipeline)).contains(v1);
        assertThat(scoreServed(stack, pipeline, "4222")).isEqualTo(0.75);

        long v2 = publisher.nextViewVersion();
        // the second view breaks mid-publication: the lake takes it, Cassandra refuses a key over 64 KiB
        String oversizedKey = "9".repeat(70_000);
        assertThatThrownBy(() -> publisher.publish(view(row("4222", 0.10), row(oversizedKey, 0.5)), publication(pipeline, v2, 200L)))
                .hasMessageContaining("Key length of 70000");

        assertThat(v2).isEqualTo(v1 + 1);
        assertThat(cassandra.currentVersion(pipeline)).contains(v1);
        assertThat(scoreServed(stack, pipeline, "4222")).isEqualTo(0.75);
        assertThat(publisher.find(pipeline, 200L, 1_000L, Optional.of(7L))).isEmpty();
        assertThat(publisher.find(pipeline, 100L, 1_000L, Optional.of(7L))).isPresent();
        assertThat(controlMessages(stack, control.topic())).hasSize(1).allSatisfy(m -> assertThat(m).contains("\"view_version\":" + v1));
        assertThat(publisher.nextViewVersion()).isGreaterThan(v2);
    }

    private static double scoreServed(TestStack stack, String keyspace, String entity) {
        try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress(stack.host(), stack.cassandraPort()))
                .withLocalDatacenter("datacenter1").build()) {
            long version = session.execute("SELECT view_version FROM " + keyspace + ".views WHERE name = ?", keyspace).one().getLong(0);
            return session.execute("SELECT score FROM " + keyspace + ".batch_view WHERE entity = ? AND view_version = ?", entity, version)
                    .one().getDouble(0);
        }
    }

    private static List<String> controlMessages(TestStack stack, String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> messages = new ArrayList<>();
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> messages.add(record.value()));
            }
            return messages;
        }
    }

    private static Publication publication(String pipeline, long version, long snapshotId) {
        return new Publication(pipeline, version, snapshotId, 900L, Optional.of(3L), 1_000L, Optional.of(7L), Optional.of("/models/v7"),
                Optional.of("abc"), List.of("f0", "f1"), 2, System.currentTimeMillis());
    }

    private static Row row(String entity, double score) {
        return RowFactory.create(entity, new Double[] {1.0, 2.0}, 3L, new Timestamp(1_000L), new Double[] {1.0, 2.0}, score);
    }

    private static Dataset<Row> view(Row... rows) {
        return spark.createDataFrame(List.of(rows), BatchFeatures.VIEW_SCHEMA);
    }
}
