package io.tessera.batch.publish;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The control stream {@code <pipeline>.control}: how the batch layer tells the speed layer that a view is
 * published (drop partials with epoch <= the cut) and which champion to score with. Messages are keyed by
 * view version, so a re-sent message (a retrain re-run after a crash) is recognisable as the same one.
 */
public final class ControlChannel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrap;
    private final String topic;

    public ControlChannel(String bootstrap, String pipeline) {
        this.bootstrap = bootstrap;
        this.topic = topic(pipeline);
    }

    public static String topic(String pipeline) {
        return pipeline + ".control";
    }

    public String topic() {
        return topic;
    }

    public void send(Publication publication) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create control topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, Long.toString(publication.viewVersion()), message(publication))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot send to " + topic + ": " + e.getCause().getMessage(), e);
        }
    }

    /** The message body: JSON, stable field names (the speed layer parses it). */
    static String message(Publication p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "batch_view_published");
        body.put("pipeline", p.pipeline());
        body.put("view_version", p.viewVersion());
        body.put("snapshot_id", p.snapshotId());
        body.put("snapshot_committed_at", p.snapshotCommittedAt());
        body.put("flink_checkpoint", p.flinkCheckpoint().orElse(null));
        body.put("cutoff", p.cutoff());
        body.put("champion_version", p.modelVersion().orElse(null));
        body.put("champion_artifact", p.modelArtifact().orElse(null));
        body.put("champion_checksum", p.modelChecksum().orElse(null));
        body.put("published_at", p.publishedAt());
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
