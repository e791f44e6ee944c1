package io.tessera.jobs.demo;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A write and a read through each client-facing server of the stack, as an application would do them.
 * The demo prints what each step did; tests assert on what each step returns.
 */
public final class StackTour {

    private final String kafkaBootstrap;
    private final InetSocketAddress cassandra;
    private final String trinoJdbcUrl;

    public StackTour(String kafkaBootstrap, InetSocketAddress cassandra, String trinoJdbcUrl) {
        this.kafkaBootstrap = kafkaBootstrap;
        this.cassandra = cassandra;
        this.trinoJdbcUrl = trinoJdbcUrl;
    }

    /** Produces the values to {@code topic} (created if missing) and consumes exactly those back, from their offsets. */
    public List<String> kafkaRoundTrip(String topic, List<String> values) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        RecordMetadata first = null;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                RecordMetadata sent = producer.send(new ProducerRecord<>(topic, 0, null, value)).get();
                first = first == null ? sent : first;
            }
        }
        if (first == null) {
            return List.of();
        }
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        List<String> consumed = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, first.partition());
            consumer.assign(List.of(partition));
            consumer.seek(partition, first.offset());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumed.size() < values.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    consumed.add(record.value());
                }
            }
        }
        return consumed;
    }

    /** Writes (card, score) rows to {@code keyspace.scores} and reads the score of {@code card} back. */
    public double cassandraRoundTrip(String keyspace, Map<String, Double> scores, String card) {
        try (CqlSession session = session()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".scores (card text PRIMARY KEY, score double)");
            var insert = session.prepare("INSERT INTO " + keyspace + ".scores (card, score) VALUES (?, ?)");
            scores.forEach((key, score) -> session.execute(insert.bind(key, score)));
            var row = session.execute(session.prepare("SELECT score FROM " + keyspace + ".scores WHERE card = ?").bind(card)).one();
            if (row == null) {
                throw new IllegalStateException("card " + card + " not found in " + keyspace + ".scores");
            }
            return row.getDouble("score");
        }
    }

    /** The newest message of a single-partition topic, if any. */
    public java.util.Optional<String> lastMessage(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            if (end == 0) {
                return java.util.Optional.empty();
            }
            consumer.seek(partition, end - 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    return java.util.Optional.of(record.value());
                }
            }
            return java.util.Optional.empty();
        }
    }

    private CqlSession session() {
        return CqlSession.builder().addContactPoint(cassandra).withLocalDatacenter("datacenter1")
                // schema changes on a busy single node take seconds: the driver's 2 s default fails them spuriously
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
                .build();
    }

    /** Runs one SQL query through Trino and returns its rows, columns joined by '|'. */
    public List<String> trinoQuery(String sql) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(trinoJdbcUrl, "tessera", null);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    line.append(i > 1 ? "|" : "").append(rows.getString(i));
                }
                result.add(line.toString());
            }
        }
        return result;
    }
}
