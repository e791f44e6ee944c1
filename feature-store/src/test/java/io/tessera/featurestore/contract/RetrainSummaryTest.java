package io.tessera.featurestore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a retrain tells the scheduler crosses a process boundary: it reads back as written, and a reader refuses what it does not know. */
class RetrainSummaryTest {

    @Test
    void readsBackWhatWasWritten(@TempDir Path dir) throws IOException {
        RetrainSummary summary = new RetrainSummary("card_fraud", 3, 5, Instant.parse("2026-01-02T02:00:00Z"), 123L, true);
        Path file = dir.resolve("summary.json");
        summary.write(file);

        assertThat(RetrainSummary.read(file)).isEqualTo(summary);
    }

    @Test
    void refusesAnotherFormatOrAMissingField(@TempDir Path dir) throws IOException {
        Path other = Files.writeString(dir.resolve("other.json"), "{\"format\": \"tessera-retrain/2\", \"pipeline\": \"p\"}");
        Path partial = Files.writeString(dir.resolve("partial.json"), "{\"format\": \"tessera-retrain/1\", \"pipeline\": \"p\", \"model_version\": 1}");

        assertThatThrownBy(() -> RetrainSummary.read(other)).hasMessageContaining("not a retrain summary of format tessera-retrain/1");
        assertThatThrownBy(() -> RetrainSummary.read(partial)).hasMessageContaining("without view_version");
    }
}
