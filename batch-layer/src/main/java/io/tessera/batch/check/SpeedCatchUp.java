package io.tessera.batch.check;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until the speed layer has committed what was in its source topic when the wait began. The speed
 * layer commits its Kafka offsets when a checkpoint completes, the checkpoint that also commits those
 * events to the lake and has flushed their realtime rows to Cassandra: once its consumer group's offsets
 * reach the topic's end offsets of a moment, the lake and the realtime view both hold every event sent
 * before that moment.
 */
final class SpeedCatchUp implements AutoCloseable {

    /** Where the speed layer stands against its topic. */
    record Standing(boolean consuming, long behind) {
        boolean caughtUp() {
            return !consuming || behind == 0;
        }
    }

    private static final Duration POLL = Duration.ofMillis(500);

    private final Admin admin;
    private final String topic;
    private final String group;

    SpeedCatchUp(String bootstrap, String topic, String group) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        this.admin = Admin.create(properties);
        this.topic = topic;
        this.group = group;
    }

    /**
     * Waits up to {@code timeout} until the group's committed offsets reach the topic's end offsets as
     * they are now.
     *
     * @return where the speed layer stands at the end: not consuming (no committed offset: a speed layer
     *     never ran, the merged views hold the batch view alone), caught up, or so many records behind
     */
    Standing await(Duration timeout) throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> ends = ends();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            committed.values().removeIf(java.util.Objects::isNull);
            if (committed.isEmpty()) {
                return new Standing(false, 0);
            }
            long behind = ends.entrySet().stream()
                    .mapToLong(end -> Math.max(0, end.getValue() - (committed.containsKey(end.getKey()) ? committed.get(end.getKey()).offset() : 0)))
                    .sum();
            if (behind == 0 || System.nanoTime() > deadline) {
                return new Standing(true, behind);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private Map<TopicPartition, Long> ends() throws InterruptedException, ExecutionException {
        var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    @Override
    public void close() {
        admin.close();
    }
}
