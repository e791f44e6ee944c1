package io.tessera.jobs.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file replayed into a real broker and read back: every data line exactly once, with its key. */
@LocalStackTest(ServiceName.KAFKA)
class ReplayTest {

    static final String HEADER = "unix_time,cc_num,amt,category,merchant,city_pop,is_fraud";
    static final String FIRST = "1371816865,4111,2.5,grocery_pos,\"Kirlin, and Sons\",333,0";
    static final String MALFORMED = "1371816866,4222,\"unclosed,grocery_pos,m,333,0";
    static final String KEYLESS = "1371816867,,9.0,grocery_pos,m,333,0";
    static final String SECOND = "1371816868,4111,3.5,gas_transport,Café Müller,333,0";
    static final String OTHER = "1371816869,4222,1.0,grocery_pos,m,333,1";

    /** Header, blank line, malformed line, line without key, and a key twice: 7 lines, 5 records, 2 without a key. */
    static Path sample(Path dir) throws Exception {
        Path file = dir.resolve("events.csv");
        Files.writeString(file, String.join("\n", HEADER, FIRST, "", MALFORMED, KEYLESS, SECOND, OTHER) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void everyDataLineArrivesOnceWithItsKeyAndTheCountsReconcile(TestStack stack, @TempDir Path dir) throws Exception {
        PipelineSpec spec = ReplayTestData.cardFraud(stack.topic(), "csv");

        ReplaySummary summary = Replay.of(stack.kafkaBootstrap(), spec, sample(dir)).createTopic(2).build().run();

        assertThat(summary.linesRead()).isEqualTo(7);
        assertThat(summary.headerLines()).isEqualTo(1);
        assertThat(summary.blankLines()).isEqualTo(1);
        assertThat(summary.recordsSent()).isEqualTo(5);
        assertThat(summary.keylessRecords()).isEqualTo(2);
        assertThat(summary.headerLines() + summary.blankLines() + summary.recordsSent()).isEqualTo(summary.linesRead());
        List<ConsumerRecord<String, String>> consumed = ReplayTestData.consumeAll(stack, stack.topic(), 5);
        assertThat(consumed).map(r -> new SimpleEntry<>(r.key(), r.value())).containsExactlyInAnyOrder(
                new SimpleEntry<>("4111", FIRST), new SimpleEntry<>(null, MALFORMED), new SimpleEntry<>(null, KEYLESS),
                new SimpleEntry<>("4111", SECOND), new SimpleEntry<>("4222", OTHER));
        assertThat(consumed).filteredOn(r -> "4111".equals(r.key())).as("one key, one partition, file order")
                .map(ConsumerRecord::value).containsExactly(FIRST, SECOND);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            assertThat(admin.describeTopics(List.of(stack.topic())).allTopicNames().get().get(stack.topic()).partitions()).hasSize(2);
        }
    }

    @Test
    void aJsonLinesFileIsKeyedByItsJsonField(TestStack stack, @TempDir Path dir) throws Exception {
        PipelineSpec spec = ReplayTestData.cardFraud(stack.topic(), "json");
        Path file = dir.resolve("events.jsonl");
        List<String> lines = List.of("{\"cc_num\": 4111, \"unix_time\": 1371816865}", "{\"unix_time\": 1371816866}", "not json");
        Files.write(file, lines);

        ReplaySummary summary = Replay.of(stack.kafkaBootstrap(), spec, file).createTopic(1).build().run();

        assertThat(summary.headerLines()).isZero();
        assertThat(summary.recordsSent()).isEqualTo(3);
        assertThat(summary.keylessRecords()).isEqualTo(2);
        assertThat(ReplayTestData.consumeAll(stack, stack.topic(), 3)).map(ConsumerRecord::key).containsExactly("4111", null, null);
    }

    @Test
    void aPacedReplayTakesAtLeastItsSchedule(TestStack stack, @TempDir Path dir) throws Exception {
        PipelineSpec spec = ReplayTestData.cardFraud(stack.topic(), "csv");

        ReplaySummary summary = Replay.of(stack.kafkaBootstrap(), spec, sample(dir)).rate(20).createTopic(1).build().run();

        assertThat(summary.recordsSent()).isEqualTo(5);
        assertThat(summary.elapsed()).as("5 sends at 20/s: the last is due 200 ms after the first").isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(summary.rate()).isLessThanOrEqualTo(25);
    }

    @Test
    void aTopicThatDoesNotExistIsNotCreatedUnlessAsked(TestStack stack, @TempDir Path dir) throws Exception {
        PipelineSpec spec = ReplayTestData.cardFraud(stack.topic(), "csv");

        assertThatThrownBy(() -> Replay.of(stack.kafkaBootstrap(), spec, sample(dir)).build().run())
                .isInstanceOf(MissingTopicException.class)
                .hasMessage("topic '" + stack.topic() + "' does not exist on Kafka at " + stack.kafkaBootstrap());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            assertThat(admin.listTopics().names().get()).doesNotContain(stack.topic());
        }
    }
}
