package io.tessera.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.BufferedReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The speed-layer load harness's probe (bench/speed-load.sh), for the speed layer and its benchmark floor alike.
 *
 * <pre>
 * SpeedProbe fresh  KAFKA TOPIC CASSANDRA TABLE HEADER_CSV SECONDS WARMUP_S RATE EVENT_START_MS STREAM_MS_PER_MS
 * SpeedProbe drain  KAFKA TOPIC CASSANDRA TABLE HEADER_CSV EXPECTED SENTINEL_EVENT_MS
 * </pre>
 *
 * {@code fresh}: sends RATE marked events a second for SECONDS (a dedicated probe card, event time moving
 * with the stream: EVENT_START_MS + elapsed wall ms x STREAM_MS_PER_MS, whole seconds, strictly increasing)
 * and polls TABLE ({@code ks.realtime_view} or {@code ks.floor_view}) every 2 ms for the probe card's
 * {@code score_event_time}; a probe is readable when that time reaches its own. Records send-to-readable
 * into an HdrHistogram (after WARMUP_S). The Kafka timestamp of a probe is its event time (the floor's
 * {@code score_event_time}).
 *
 * {@code drain}: waits for the topic's end offsets to start growing (t0: a replay began) and to grow by
 * EXPECTED, then sends one sentinel per partition (to that partition) and polls until every sentinel's
 * score is readable (t1): the backlog was consumed and written at EXPECTED / (t1 - t0) events/s; also
 * how many records the topic's dead-letter topic gained meanwhile (the speed layer's quarantine).
 */
public final class SpeedProbe {

    private static final String CSV_HEADER = "tessera.csv.header";   // SourceTopic.CSV_HEADER
    private static final String PROBE_CARD = "999000000000001";

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String kafka = args[1];
        String topic = args[2];
        String cassandra = args[3];
        String table = args[4];
        String header = readHeader(Path.of(args[5]));
        int colon = cassandra.lastIndexOf(':');
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(cassandra.substring(0, colon), Integer.parseInt(cassandra.substring(colon + 1))))
                .withLocalDatacenter("datacenter1").build();
                KafkaProducer<String, String> producer = producer(kafka)) {
            PreparedStatement read = session.prepare("SELECT score_event_time FROM " + table + " WHERE entity = ? LIMIT 1");
            Reader reader = entity -> {
                Row row = session.execute(read.bind(entity).setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM)).one();
                Instant time = row == null ? null : row.getInstant("score_event_time");
                return time == null ? Long.MIN_VALUE : time.toEpochMilli();
            };
            if (mode.equals("fresh")) {
                fresh(producer, reader, topic, header, Integer.parseInt(args[6]), Integer.parseInt(args[7]), Double.parseDouble(args[8]),
                        Long.parseLong(args[9]), Double.parseDouble(args[10]));
            } else {
                drain(producer, reader, kafka, topic, header, Long.parseLong(args[6]), Long.parseLong(args[7]));
            }
        }
    }

    interface Reader {
        long scoreEventTime(String entity);
    }

    private static void fresh(KafkaProducer<String, String> producer, Reader reader, String topic, String header, int seconds, int warmup,
            double rate, long eventStart, double streamSpeed) throws Exception {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        record Probe(long eventTime, long sentNanos, boolean counted) {
        }
        ArrayDeque<Probe> outstanding = new ArrayDeque<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long interval = (long) (1e9 / rate);
        long next = start;
        long lastSecond = Long.MIN_VALUE;
        int sent = 0;
        while (System.nanoTime() < end || (!outstanding.isEmpty() && System.nanoTime() < end + TimeUnit.SECONDS.toNanos(30))) {
            long now = System.nanoTime();
            if (now >= next && now < end) {
                long second = Math.max(lastSecond + 1, (eventStart + (long) ((now - start) / 1e6 * streamSpeed)) / 1000);
                lastSecond = second;
                long sentNanos = System.nanoTime();
                producer.send(record(topic, null, PROBE_CARD, second, header));
                outstanding.add(new Probe(second * 1000, sentNanos, now - start >= TimeUnit.SECONDS.toNanos(warmup)));
                sent++;
                next += interval;
            }
            if (!outstanding.isEmpty()) {
                long seen = reader.scoreEventTime(PROBE_CARD);
                long readable = System.nanoTime();
                while (!outstanding.isEmpty() && outstanding.peek().eventTime() <= seen) {
                    Probe probe = outstanding.poll();
                    if (probe.counted()) {
                        histogram.recordValue(Math.min(histogram.getHighestTrackableValue(), (readable - probe.sentNanos()) / 1000));
                    }
                }
            }
            Thread.sleep(2);
        }
        System.out.printf("probes sent %d, measured %d (after %d s warm-up), never readable %d%n", sent, histogram.getTotalCount(), warmup,
                outstanding.size());
        System.out.printf("freshness_ms p50 %.1f p99 %.1f max %.1f%n", histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0);
    }

    private static void drain(KafkaProducer<String, String> producer, Reader reader, String kafka, String topic, String header, long expected,
            long sentinelEventMs) throws Exception {
        Properties consumerProps = new Properties();
        consumerProps.put("bootstrap.servers", kafka);
        consumerProps.put("key.deserializer", ByteArrayDeserializer.class.getName());
        consumerProps.put("value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            // the speed layer's dead letters: a quarantined event is fast to handle, and a run that quarantines is not measuring scoring
            List<TopicPartition> deadLetters = new ArrayList<>();
            if (consumer.listTopics().containsKey(topic + ".dlq")) {
                for (PartitionInfo info : consumer.partitionsFor(topic + ".dlq")) {
                    deadLetters.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
            long deadBefore = sum(consumer.endOffsets(deadLetters));
            long initial = sum(consumer.endOffsets(partitions));
            long t0 = 0;
            long total;
            while ((total = sum(consumer.endOffsets(partitions)) - initial) < expected) {
                if (total > 0 && t0 == 0) {
                    t0 = System.nanoTime();
                }
                Thread.sleep(10);
            }
            long produced = System.nanoTime();
            if (t0 == 0) {
                t0 = produced;
            }
            Map<String, Long> sentinels = new HashMap<>();
            for (TopicPartition partition : partitions) {
                String card = "99900000000010" + partition.partition();
                producer.send(record(topic, partition.partition(), card, sentinelEventMs / 1000, header));
                sentinels.put(card, sentinelEventMs / 1000 * 1000);
            }
            producer.flush();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!sentinels.isEmpty() && System.nanoTime() < deadline) {
                sentinels.entrySet().removeIf(sentinel -> reader.scoreEventTime(sentinel.getKey()) >= sentinel.getValue());
                Thread.sleep(5);
            }
            long t1 = System.nanoTime();
            if (!sentinels.isEmpty()) {
                System.out.println("drain: sentinels never readable: " + sentinels.keySet());
            }
            double seconds = (t1 - t0) / 1e9;
            System.out.printf("drain: %d events produced in %.1f s, consumed and written in %.1f s: throughput %.0f events/s%n", expected,
                    (produced - t0) / 1e9, seconds, expected / seconds);
            if (!deadLetters.isEmpty()) {
                System.out.printf("drain: %d of them quarantined (%s.dlq)%n", sum(consumer.endOffsets(deadLetters)) - deadBefore, topic);
            }
        }
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static KafkaProducer<String, String> producer(String kafka) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** A CSV line in the file's column order: the probe card, a small grocery purchase, the event time; other columns empty. */
    private static ProducerRecord<String, String> record(String topic, Integer partition, String card, long eventSecond, String header) {
        String[] columns = header.split(",", -1);
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(switch (columns[i].trim()) {
                case "cc_num" -> card;
                case "amt" -> "12.34";
                case "category" -> "grocery_pos";
                case "merchant" -> "fraud_Probe";
                case "city_pop" -> "1000";
                case "is_fraud" -> "0";
                case "unix_time" -> Long.toString(eventSecond);
                default -> "";
            });
        }
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, partition, eventSecond * 1000, card, line.toString());
        record.headers().add(CSV_HEADER, header.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static String readHeader(Path csv) throws Exception {
        try (BufferedReader in = Files.newBufferedReader(csv)) {
            return in.readLine();
        }
    }
}
