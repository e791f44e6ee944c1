package io.tessera.jobs.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.tessera.featurestore.event.RecordParser;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.SourceFormat;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import io.tessera.featurestore.contract.SourceTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces a file of events (CSV or JSON lines, in the spec's source format) into the spec's Kafka topic,
 * one record per data line: the value is the line as written, the key the line's entity key (null when
 * it has none: the speed layer quarantines it; a replay never drops a line). Optionally paced at a
 * constant rate. Used by {@code platform replay}, the demo, tests and benchmarks alike.
 */
public final class Replay {

    /** Of the topic check: a broker that does not answer in this long is reported, not waited on for a minute. */
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);

    private final String kafkaBootstrap;
    private final PipelineSpec spec;
    private final Path file;
    private final double rate;
    private final int createPartitions;
    private final ReplayProgress progress;

    private Replay(Builder builder) {
        this.kafkaBootstrap = builder.kafkaBootstrap;
        this.spec = builder.spec;
        this.file = builder.file;
        this.rate = builder.rate;
        this.createPartitions = builder.createPartitions;
        this.progress = builder.progress;
    }

    public static Builder of(String kafkaBootstrap, PipelineSpec spec, Path file) {
        return new Builder(kafkaBootstrap, spec, file);
    }

    public String topic() {
        return spec.source().topic();
    }

    /**
     * @throws IllegalArgumentException the file is missing, or is CSV without a header line
     * @throws MissingTopicException the topic does not exist and creating it was not asked for
     * @throws ReplayFailedException Kafka did not acknowledge a record; the records before may be on the topic
     */
    public ReplaySummary run() throws IOException, InterruptedException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        boolean csv = spec.source().format() == SourceFormat.CSV;
        String header = csv ? csvHeader() : null;
        long records = countRecords(csv ? 1 : 0);
        ensureTopic();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
                ReplayProgress shown = progress) {
            // The topic's metadata before the clock starts: else the first send waits for it and the pacing starts late.
            producer.partitionsFor(topic());
            shown.started(records);
            return produce(producer, header);
        }
    }

    private ReplaySummary produce(KafkaProducer<String, String> producer, String header) throws IOException, InterruptedException {
        EntityKeys keys = new EntityKeys(spec, header == null ? List.of() : RecordParser.csvHeader(header));
        // the file's column order travels with every CSV record: a consumer cannot know it otherwise
        byte[] headerBytes = header == null ? null : header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Deliveries deliveries = new Deliveries();
        Pacer pacer = Pacer.atRate(rate);
        long linesRead = 0;
        long blankLines = 0;
        long sent = 0;
        long keyless = 0;
        long start = System.nanoTime();
        pacer.start();
        try (BufferedReader lines = open()) {
            if (header != null) {
                lines.readLine();
                linesRead++;
            }
            for (String line = lines.readLine(); line != null && !deliveries.failed(); line = lines.readLine()) {
                linesRead++;
                if (line.isBlank()) {
                    blankLines++;
                    continue;
                }
                String key = keys.keyOf(line);
                keyless += key == null ? 1 : 0;
                pacer.awaitSend(sent);
                try {
                    ProducerRecord<String, String> record = new ProducerRecord<>(topic(), key, line);
                    if (headerBytes != null) {
                        record.headers().add(SourceTopic.CSV_HEADER, headerBytes);
                    }
                    producer.send(record, deliveries.of(linesRead));
                } catch (KafkaException e) {
                    deliveries.fail(linesRead, e);
                }
                sent++;
            }
        }
        // Every send completes, acknowledged or failed, before counting: the count in an error is then exact.
        producer.flush();
        deliveries.throwIfFailed(topic(), sent);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new ReplaySummary(linesRead, header == null ? 0 : 1, blankLines, deliveries.acknowledged(), keyless, elapsed);
    }

    /** Tallies the producer's acknowledgements and keeps the first failure. */
    private final class Deliveries {
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicReference<Failure> failure = new AtomicReference<>();

        Callback of(long lineNumber) {
            return (metadata, exception) -> {
                if (exception == null) {
                    acknowledged.incrementAndGet();
                    progress.acknowledged();
                } else {
                    fail(lineNumber, exception);
                }
            };
        }

        void fail(long lineNumber, Exception exception) {
            failure.compareAndSet(null, new Failure(lineNumber, exception));
        }

        boolean failed() {
            return failure.get() != null;
        }

        long acknowledged() {
            return acknowledged.get();
        }

        void throwIfFailed(String topic, long sent) {
            Failure first = failure.get();
            if (first != null) {
                long acked = acknowledged.get();
                throw new ReplayFailedException("replay to " + topic + " stopped: Kafka did not acknowledge line " + first.lineNumber()
                        + " of " + file + "; " + acked + " of " + sent + " records sent were acknowledged", acked, first.exception());
            }
        }
    }

    private record Failure(long lineNumber, Exception exception) {
    }

    private String csvHeader() throws IOException {
        try (BufferedReader lines = open()) {
            String header = lines.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty: a CSV file needs a header line");
            }
            return header;
        }
    }

    /** The records the file holds, for the progress bar: a first pass, cheap beside producing them. */
    private long countRecords(int headerLines) throws IOException {
        try (BufferedReader lines = open()) {
            return lines.lines().skip(headerLines).filter(line -> !line.isBlank()).count();
        }
    }

    /** Malformed UTF-8 is replaced (U+FFFD), not fatal: the line is still sent, and quarantined downstream. */
    private BufferedReader open() throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
    }

    private void ensureTopic() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis()))) {
            if (topicExists(admin)) {
                return;
            }
            if (createPartitions == 0) {
                throw new MissingTopicException(topic(), kafkaBootstrap);
            }
            try {
                admin.createTopics(List.of(new NewTopic(topic(), createPartitions, (short) 1))).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic '" + topic() + "' on Kafka at " + kafkaBootstrap, e.getCause());
                }
            }
        }
    }

    private boolean topicExists(Admin admin) throws InterruptedException {
        try {
            admin.describeTopics(List.of(topic())).allTopicNames().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw new IllegalStateException("cannot describe topic '" + topic() + "' on Kafka at " + kafkaBootstrap, e.getCause());
        }
    }

    private Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        // Nothing lost, nothing twice: every replica has each record, and retries do not duplicate.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // A few ms of batching buys throughput and costs a paced replay little latency.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return config;
    }

    /** Options of a replay; only the Kafka address, the spec and the file are required. */
    public static final class Builder {
        private final String kafkaBootstrap;
        private final PipelineSpec spec;
        private final Path file;
        private double rate;
        private int createPartitions;
        private ReplayProgress progress = ReplayProgress.NONE;

        private Builder(String kafkaBootstrap, PipelineSpec spec, Path file) {
            this.kafkaBootstrap = kafkaBootstrap;
            this.spec = spec;
            this.file = file;
        }

        /** Records per second, paced evenly; unpaced (as fast as Kafka takes them) unless set. */
        public Builder rate(double recordsPerSecond) {
            if (!(recordsPerSecond > 0) || Double.isInfinite(recordsPerSecond)) {
                throw new IllegalArgumentException("rate must be a positive number of records per second: " + recordsPerSecond);
            }
            this.rate = recordsPerSecond;
            return this;
        }

        /** Creates the topic if missing, with this many partitions (replication 1: the local stack has one broker). */
        public Builder createTopic(int partitions) {
            if (partitions <= 0) {
                throw new IllegalArgumentException("partitions must be positive: " + partitions);
            }
            this.createPartitions = partitions;
            return this;
        }

        public Builder progress(ReplayProgress progress) {
            this.progress = progress;
            return this;
        }

        public Replay build() {
            return new Replay(this);
        }
    }
}
