package io.tessera.batch.train;

import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.Scorer;
import java.util.Map;

/**
 * The model currently serving, as the promotion gate and the report compare against it.
 *
 * @param name the champion's model name
 * @param version its version
 * @param evaluation its metrics
 * @param onCandidateHoldout true if {@code evaluation} was measured on the candidate's holdout rows
 *     (rescored with the champion's portable export: a fair comparison); false if it is the metrics the
 *     champion recorded on its own, older holdout, because it cannot score this one (it was trained on
 *     other features, e.g. a one_hot vocabulary changed)
 */
public record Champion(String name, long version, Evaluation evaluation, boolean onCandidateHoldout) {

    /**
     * The champion measured as fairly as possible against a candidate: rescored on the candidate's
     * holdout when its features are the same, otherwise by its recorded metrics.
     */
    public static Champion against(ModelArtifact champion, TrainedModel candidate) {
        ScoredHoldout holdout = candidate.holdout();
        if (champion.task() != candidate.task()) {
            throw new IllegalArgumentException("the champion " + champion.name() + " v" + champion.version() + " does "
                    + champion.task().specName() + ", the candidate " + candidate.task().specName());
        }
        if (champion.features().equals(holdout.featureNames())) {
            double[] scores = holdout.scoreWith(Scorer.of(champion));
            return new Champion(champion.name(), champion.version(),
                    HoldoutEvaluator.evaluate(candidate.task(), holdout.labels(), scores), true);
        }
        return new Champion(champion.name(), champion.version(), new Evaluation(champion.metrics(), Map.of()), false);
    }
}
