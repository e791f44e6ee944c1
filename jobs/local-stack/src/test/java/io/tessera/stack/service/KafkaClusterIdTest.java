package io.tessera.stack.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/**
 * The cluster id handed to {@code kafka-storage format --cluster-id}: an id beginning with '-' is read as
 * an option there, and about one random id in 64 begins with it.
 */
class KafkaClusterIdTest {

    @Test
    void randomIdsAreValidAndNeverLookLikeAnOption() {
        int draws = 100_000;
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < draws; i++) {
            String id = KafkaBroker.newClusterId();
            assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]{22}").doesNotStartWith("-");
            ids.add(id);
        }
        assertThat(ids).hasSize(draws);
    }

    @Test
    void drawsAgainWhenTheEncodingBeginsWithADash() {
        // top six bits 111110 encode as '-', the 63rd character of the URL-safe alphabet
        UUID dash = new UUID(0xF800000000000000L, 1L);
        UUID plain = new UUID(0x0123456789ABCDEFL, 0xFEDCBA9876543210L);
        CountingSource source = new CountingSource(dash, plain);

        assertThat(KafkaBroker.newClusterId(source)).isEqualTo("ASNFZ4mrze_-3LqYdlQyEA");
        assertThat(source.draws).isEqualTo(2);
    }

    @Test
    void drawsAgainOnTheIdsKafkaReserves() {
        UUID plain = new UUID(0x0123456789ABCDEFL, 0xFEDCBA9876543210L);
        CountingSource source = new CountingSource(new UUID(0L, 0L), new UUID(0L, 1L), plain);

        assertThat(KafkaBroker.newClusterId(source)).isEqualTo("ASNFZ4mrze_-3LqYdlQyEA");
        assertThat(source.draws).isEqualTo(3);
    }

    /** Yields the given UUIDs in order and counts how many were taken. */
    private static final class CountingSource implements Supplier<UUID> {

        private final Iterator<UUID> uuids;
        private int draws;

        CountingSource(UUID... uuids) {
            this.uuids = List.of(uuids).iterator();
        }

        @Override
        public UUID get() {
            draws++;
            return uuids.next();
        }
    }
}
