package io.tessera.batch.retrain;

import java.time.Instant;
import java.util.Optional;

import io.tessera.batch.publish.PublishOutcome;
import io.tessera.batch.registry.RegisteredModel;
import io.tessera.featurestore.contract.PublishedView;

/**
 * What a retrain did.
 *
 * @param candidate the model trained from this run's snapshot and cutoff (or found, on a re-run)
 * @param resumed true when the candidate came from an earlier run of the same cutoff, on this snapshot or on an earlier one with
 *     the same events before the cutoff
 * @param champion the champion after the run (the candidate if it passed the gate)
 * @param publication what became of the run's batch view
 * @param stepMillis wall time of each step that ran
 */
public record RetrainOutcome(RegisteredModel candidate, boolean resumed, Optional<RegisteredModel> champion, PublishOutcome publication,
        java.util.Map<String, Long> stepMillis) {

    @Override
    public String toString() {
        PublishedView view = publication.view();
        StringBuilder text = new StringBuilder();
        text.append(String.format("model   %s v%d: %s%s%n", candidate.name(), candidate.version(), candidate.status(),
                resumed ? " (found from an earlier run of this cutoff, trained on snapshot " + candidate.trainingSnapshotId()
                        + (candidate.trainingSnapshotId() == view.snapshot().id() ? "" : ", whose events before the cutoff this snapshot holds unchanged")
                        + ")" : ""));
        text.append(String.format("        metrics %s%n", candidate.metrics()));
        text.append(String.format("        gate: %s%n", candidate.gateReason()));
        text.append(String.format("        artifact %s (report: report.html beside it)%n", candidate.artifactLocation()));
        text.append(String.format("champion %s%n", champion.map(c -> "v" + c.version()).orElse("none: no model passed the gate yet")));
        text.append(String.format("view    v%d of lake snapshot %d (all its events), cutoff %s: %d entities; speed-layer cut: %s%n",
                view.viewVersion(), view.snapshot().id(), Instant.ofEpochMilli(view.cutoff()), view.entities(), view.cut()));
        text.append(String.format("        scores: %s%n", view.champion().map(c -> "by " + c)
                .orElse(view.scoresWithheld().map(r -> "withheld, " + r).orElse("none (no champion)"))));
        text.append(String.format("        %s%n", switch (publication.status()) {
            case SWITCHED -> "serving now" + (publication.retired().isEmpty() ? "" : "; retired from serving: v" + publication.retired());
            case ALREADY_SERVING -> "serving already (an earlier run published it)";
            case SUPERSEDED -> "not served: " + publication.reason().orElse("a newer view serves");
        }));
        text.append("steps   ");
        stepMillis.forEach((step, millis) -> text.append(String.format("%s %.1f s; ", step, millis / 1000.0)));
        text.append(System.lineSeparator());
        return text.toString();
    }
}
