package io.tessera.batch.retrain;

import java.util.Optional;

import io.tessera.batch.publish.Publication;
import io.tessera.batch.registry.RegisteredModel;

/**
 * What a retrain did.
 *
 * @param candidate the model trained from this run's snapshot and cutoff (or found, on a re-run)
 * @param resumed true when the candidate came from an earlier run of the same snapshot and cutoff
 * @param champion the champion after the run (the candidate if it passed the gate)
 * @param stepMillis wall time of each step that ran
 */
public record RetrainOutcome(RegisteredModel candidate, boolean resumed, Optional<RegisteredModel> champion, Publication publication,
        java.util.Map<String, Long> stepMillis) {

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("model   %s v%d: %s%s%n", candidate.name(), candidate.version(), candidate.status(),
                resumed ? " (found from an earlier run of this snapshot and cutoff)" : ""));
        text.append(String.format("        metrics %s%n", candidate.metrics()));
        text.append(String.format("        gate: %s%n", candidate.gateReason()));
        text.append(String.format("        artifact %s (report: report.html beside it)%n", candidate.artifactLocation()));
        text.append(String.format("champion %s%n", champion.map(c -> "v" + c.version()).orElse("none: no model passed the gate yet")));
        text.append(String.format("view    version %d of snapshot %d as of %s: %d entities, speed-layer cut %s%n", publication.viewVersion(),
                publication.snapshotId(), java.time.Instant.ofEpochMilli(publication.cutoff()), publication.entities(),
                publication.flinkCheckpoint().map(c -> "checkpoint " + c).orElse("none (no Flink-written snapshot yet)")));
        text.append("steps   ");
        stepMillis.forEach((step, millis) -> text.append(String.format("%s %.1f s; ", step, millis / 1000.0)));
        text.append(System.lineSeparator());
        return text.toString();
    }
}
