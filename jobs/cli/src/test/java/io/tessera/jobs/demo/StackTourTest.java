package io.tessera.jobs.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.Test;

/** A real Kafka broker and a real Cassandra node, each written and read back by key. */
@LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA})
class StackTourTest {

    @Test
    void kafkaGivesBackWhatWasProducedInOrder(TestStack stack) throws Exception {
        StackTour tour = new StackTour(stack.kafkaBootstrap(), null, null);
        List<String> values = List.of("a-" + System.nanoTime(), "b", "c");
        assertThat(tour.kafkaRoundTrip(stack.topic(), values)).containsExactlyElementsOf(values);
    }

    @Test
    void cassandraReadsBackTheScoreWrittenForAKey(TestStack stack) {
        StackTour tour = new StackTour(null, new InetSocketAddress(stack.host(), stack.cassandraPort()), null);
        assertThat(tour.cassandraRoundTrip(stack.keyspace(), Map.of("4111", 0.25, "4222", 0.75), "4222")).isEqualTo(0.75);
        assertThat(tour.cassandraRoundTrip(stack.keyspace(), Map.of("4111", 0.5), "4111")).isEqualTo(0.5);
    }
}
