package io.tessera.speed.job;

import static io.tessera.speed.job.SpeedFixture.HOUR;
import static io.tessera.speed.job.SpeedFixture.T0;
import static io.tessera.speed.job.SpeedFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.event.Event;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speed layer's process killed with SIGKILL at three random points while events stream in, then
 * started again each time as {@code platform speed start} does (restore from the newest checkpoint):
 * every event is in the lake exactly once, and the realtime view merged with the batch view is what an
 * uninterrupted run gives (the recomputation from every event, as {@link SpeedJobTest} shows).
 */
@Tag("e2e")
@LocalStackTest({ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG})
class SpeedFaultTest {

    private static final int EVENTS = 3_000;
    private static final int KEYS = 40;

    @Test
    void killedThreeTimesMidStreamTheLakeHoldsEveryEventOnceAndTheViewIsExact(TestStack stack, @TempDir Path dir) throws Exception {
        SpeedFixture fixture = new SpeedFixture(stack, dir);
        Event fileEvent = event("k0", T0, 10, "m0");
        fixture.publish(1, 1, ServingCut.NONE, Map.of("k0", List.of(fileEvent)), fixture.champion(dir, 1));
        Random random = new Random(42);
        List<Event> sent = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            sent.add(event("k" + random.nextInt(KEYS), T0 + HOUR + i * 20_000L, random.nextInt(50_000) / 100.0, "m" + random.nextInt(30)));
        }
        fixture.produce(List.of());   // creates the topic
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
            try {
                for (int from = 0; from < EVENTS; from += 100) {
                    fixture.produce(sent.subList(from, from + 100).stream().map(SpeedFixture::json).toList());
                    Thread.sleep(250);   // ~400 events/s over ~8 s
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        Path logs = java.nio.file.Files.createDirectories(Path.of("target", "speed-fault-logs"));   // kept for a failure's reader
        for (int kill = 0; kill < 3; kill++) {
            Path log = logs.resolve("run-" + kill + ".log");
            Process job = fixture.launch(log);
            SpeedFixture.awaitSubmitted(log);   // a kill before the job runs would test nothing
            Thread.sleep(2_000 + random.nextInt(5_000));
            job.destroyForcibly().waitFor();
        }
        producing.join();
        Process last = fixture.launch(logs.resolve("run-last.log"));
        try {
            fixture.assertStreamLandedOnceAndMergesExactly(fileEvent, sent);
        } finally {
            last.destroyForcibly().waitFor();
        }
    }
}
