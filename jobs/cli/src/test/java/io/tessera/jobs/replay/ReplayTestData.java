package io.tessera.jobs.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.stack.junit.TestStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The card_fraud example's spec on a topic of the test's own, in either source format; and what a topic holds. */
public final class ReplayTestData {

    private ReplayTestData() {
    }

    public static String cardFraudYaml(String topic, String format) {
        Path example = Path.of(System.getProperty("tessera.root", "../..")).resolve("examples/card_fraud/pipeline.yaml");
        try {
            return Files.readString(example)
                    .replace("topic: transactions", "topic: " + topic)
                    .replace("format: csv", "format: " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PipelineSpec cardFraud(String topic, String format) {
        return PipelineSpecs.parse(cardFraudYaml(topic, format), "pipeline.yaml");
    }

    /** Reads the topic from the start until {@code expected} records came, then a little longer to see any duplicate. */
    public static List<ConsumerRecord<String, String>> consumeAll(TestStack stack, String topic, int expected) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        List<ConsumerRecord<String, String>> consumed = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumed.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(consumed::add);
            }
            consumer.poll(Duration.ofMillis(500)).forEach(consumed::add);
        }
        return consumed;
    }
}
