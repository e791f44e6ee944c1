package io.tessera.featurestore.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.ControlMessageCodecTest;
import io.tessera.featurestore.contract.PublishedView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a batch job tells the scheduler crosses a process boundary: it reads back as written, and a reader refuses what it does not know. */
class BatchJobSummaryTest {

    @Test
    void readsBackWhatWasWritten(@TempDir Path dir) throws IOException {
        BatchJobSummary retrain = new BatchJobSummary("card_fraud", JobRun.Job.RETRAIN, OptionalLong.of(3), 5,
                Instant.parse("2026-01-02T02:00:00Z"), 123L, true);
        BatchJobSummary publication = BatchJobSummary.publication(ControlMessageCodecTest.view(7, Optional.empty()), false);
        Path file = dir.resolve("summary.json");

        retrain.write(file);
        assertThat(BatchJobSummary.read(file)).isEqualTo(retrain);
        publication.write(file);
        assertThat(BatchJobSummary.read(file)).isEqualTo(publication);
        assertThat(publication.modelVersion()).as("a view without a champion").isEmpty();
    }

    @Test
    void aPublicationNamesTheViewItEndedWithAndItsChampion() {
        PublishedView view = ControlMessageCodecTest.view(7, Optional.of(new ChampionRef("card_fraud", 3, "/lake/models/v3/model.json", "ab12")));

        BatchJobSummary summary = BatchJobSummary.publication(view, true);

        assertThat(summary).isEqualTo(new BatchJobSummary(view.pipeline(), JobRun.Job.PUBLISH, OptionalLong.of(3), 7,
                Instant.ofEpochMilli(view.cutoff()), view.snapshot().id(), true));
    }

    @Test
    void refusesAnotherFormatOrAMissingField(@TempDir Path dir) throws IOException {
        Path other = Files.writeString(dir.resolve("other.json"), "{\"format\": \"tessera-retrain/1\", \"pipeline\": \"p\"}");
        Path partial = Files.writeString(dir.resolve("partial.json"),
                "{\"format\": \"tessera-batch-job/1\", \"pipeline\": \"p\", \"job\": \"retrain\", \"model_version\": 1}");
        Path noModel = Files.writeString(dir.resolve("no-model.json"), "{\"format\": \"tessera-batch-job/1\", \"pipeline\": \"p\"}");
        Path badJob = Files.writeString(dir.resolve("bad-job.json"), "{\"format\": \"tessera-batch-job/1\", \"pipeline\": \"p\", \"job\": \"vacuum\","
                + " \"model_version\": 1, \"view_version\": 2, \"cutoff\": \"2026-01-02T02:00:00Z\", \"snapshot_id\": 3, \"resumed\": false}");

        assertThatThrownBy(() -> BatchJobSummary.read(other)).hasMessageContaining("not a batch job summary of format tessera-batch-job/1");
        assertThatThrownBy(() -> BatchJobSummary.read(partial)).hasMessageContaining("without view_version");
        assertThatThrownBy(() -> BatchJobSummary.read(noModel)).hasMessageContaining("without model_version");
        assertThatThrownBy(() -> BatchJobSummary.read(badJob)).hasMessageContaining("job is not one of retrain, publish, maintain: \"vacuum\"");
    }
}
