package io.tessera.speed.job;

import static io.tessera.speed.job.SpeedFixture.HOUR;
import static io.tessera.speed.job.SpeedFixture.T0;
import static io.tessera.speed.job.SpeedFixture.event;

import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.event.Event;
import io.tessera.stack.LocalStack;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cassandra restarted, then the Kafka broker restarted, under a running speed layer: its lookups and
 * writes fail, the job restarts from its last checkpoint with back-off and resumes once they are back;
 * every event is in the lake once and the merged view is exact.
 */
@Tag("e2e")
@LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG})
class SpeedRecoveryTest {

    @Test
    void cassandraAndKafkaRestartsMidStreamAreSurvivedWithoutLoss(TestStack stack, @TempDir Path dir) throws Exception {
        SpeedFixture fixture = new SpeedFixture(stack, dir);
        Event fileEvent = event("k0", T0, 10, "m0");
        fixture.publish(1, 1, ServingCut.NONE, Map.of("k0", List.of(fileEvent)), fixture.champion(dir, 1));
        Random random = new Random(7);
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            sent.add(event("k" + random.nextInt(30), T0 + HOUR + i * 20_000L, random.nextInt(50_000) / 100.0, "m" + random.nextInt(30)));
        }
        LocalStack local = new LocalStack(stack.settings(), System.out);
        Path logs = Files.createDirectories(Path.of("target", "speed-recovery-logs"));
        Process job = fixture.launch(logs.resolve("run.log"));
        try {
            SpeedFixture.awaitSubmitted(logs.resolve("run.log"));
            fixture.produce(sent.subList(0, 1_000).stream().map(SpeedFixture::json).toList());
            Thread.sleep(6_000);
            local.down(Set.of(ServiceName.CASSANDRA));
            Thread.sleep(5_000);
            local.up(Set.of(ServiceName.CASSANDRA));
            local.down(Set.of(ServiceName.KAFKA));
            Thread.sleep(3_000);
            local.up(Set.of(ServiceName.KAFKA));
            fixture.produce(sent.subList(1_000, 2_000).stream().map(SpeedFixture::json).toList());
            fixture.assertStreamLandedOnceAndMergesExactly(fileEvent, sent);
        } finally {
            job.destroyForcibly().waitFor();
        }
    }
}
