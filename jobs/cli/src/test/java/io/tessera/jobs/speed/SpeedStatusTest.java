package io.tessera.jobs.speed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The status line an operator reads, from what Flink's REST API answers for the job's checkpoints. */
class SpeedStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFailedCheckpointIsCountedWithTheReasonOfTheNewest() throws Exception {
        FlinkRest.Checkpoints checkpoints = FlinkRest.Checkpoints.of(JSON.readTree("""
                {"counts": {"completed": 172, "failed": 2},
                 "latest": {"completed": {"id": 174, "latest_ack_timestamp": 1796663300000, "external_path": "file:/state/chk-174"},
                            "failed": {"id": 1, "failure_timestamp": 1796662000000,
                                       "failure_message": "Checkpoint was declined (tasks not ready)\\n\\tat org.apache.flink.Some.frame"}}}
                """));

        String line = status(checkpoints).toString();

        assertThat(line).contains("checkpoints 172 (2 failed, the last #1 at 2026-12-07T16:46:40Z: Checkpoint was declined (tasks not ready)),"
                + " last #174 at 2026-12-07T17:08:20Z").doesNotContain("Some.frame");
    }

    @Test
    void noFailureNoParenthesis() throws Exception {
        FlinkRest.Checkpoints checkpoints = FlinkRest.Checkpoints.of(JSON.readTree("""
                {"counts": {"completed": 3, "failed": 0}, "latest": {"completed": null, "failed": null}}
                """));

        assertThat(checkpoints.latest()).isEmpty();
        assertThat(checkpoints.lastFailure()).isEmpty();
        assertThat(status(checkpoints).toString()).contains("checkpoints 3, http").doesNotContain("failed");
    }

    private static SpeedStatus status(FlinkRest.Checkpoints checkpoints) {
        return new SpeedStatus("card_fraud", Optional.of("pid 42"), "RUNNING", Duration.ofMinutes(14), Optional.of(checkpoints), Optional.empty(),
                "http://127.0.0.1:8081", "");
    }
}
