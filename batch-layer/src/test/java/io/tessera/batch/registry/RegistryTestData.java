package io.tessera.batch.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.ControlMessageCodec;
import io.tessera.featurestore.contract.TrainingProvenance;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelBody;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.Task;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.stack.junit.TestStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.sql.SparkSession;

/** What the registry's tests share: registered models with artifacts of a chosen layout, the registry's commits, the control stream. */
final class RegistryTestData {

    private RegistryTestData() {
    }

    /** A registered logistic regression whose artifact (in {@code dir}) was trained on the layout of {@code vocabulary}. */
    static RegisteredModel registered(PipelineSpec spec, Path dir, long version, String status, Map<String, List<String>> vocabulary)
            throws Exception {
        FeatureLayout trainedOn = FeatureLayout.of(spec, vocabulary);
        double[] coefficients = new double[trainedOn.size()];
        Arrays.fill(coefficients, 0.01 * version);
        ModelArtifact artifact = ModelArtifact.of(spec.name(), version, Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION,
                trainedOn.names(), vocabulary, new ModelBody.Linear(coefficients, -1.0),
                Map.of(), Map.of("auc", 0.9), new TrainingProvenance(1, 0, "run", "t", spec.fingerprint(), trainedOn.fingerprint()).toMap());
        Path file = dir.resolve("model-v" + version + ".json");
        ModelFormat.write(artifact, file);
        return new RegisteredModel(spec.name(), version, status, "binary_classification", "logistic_regression", "{}", Map.of("auc", 0.9), 1,
                new Timestamp(0), file.toString(), ModelFormat.checksum(artifact), "gate", "run-" + version, new Timestamp(0));
    }

    /** The number of commits of the registry's table. */
    static long snapshots(SparkSession spark, ModelRegistry registry) {
        return spark.sql("SELECT count(*) FROM " + registry.table() + ".snapshots").first().getLong(0);
    }

    /** The first {@code count} messages of the pipeline's control stream (fewer if they do not come within 20 s). */
    static List<ControlMessage> controlMessages(TestStack stack, String pipeline, int count) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + pipeline + "-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ControlMessage> messages = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(ControlMessage.topic(pipeline)));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (messages.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    ControlMessage message = ControlMessageCodec.parse(record.value());
                    assertThat(record.key()).isEqualTo(message.key());
                    messages.add(message);
                }
            }
        }
        return messages;
    }
}
