package io.tessera.batch.train;

import io.tessera.featurestore.model.LayoutMismatchException;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.Scorer;
import io.tessera.featurestore.spec.Fingerprint;
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
 *     another layout: a one_hot vocabulary, a window or a condition changed)
 */
public record Champion(String name, long version, Evaluation evaluation, boolean onCandidateHoldout) {

    /**
     * The champion measured as fairly as possible against a candidate: rescored on the candidate's
     * holdout when it was trained on the same layout (same columns over the same definitions), otherwise
     * by its recorded metrics.
     *
     * @param candidateLayout {@code FeatureLayout.fingerprint()} of the candidate's vectors
     */
    public static Champion against(ModelArtifact champion, TrainedModel candidate, Fingerprint candidateLayout) {
        ScoredHoldout holdout = candidate.holdout();
        if (champion.task() != candidate.task()) {
            throw new IllegalArgumentException("the champion " + champion.name() + " v" + champion.version() + " does "
                    + champion.task().specName() + ", the candidate " + candidate.task().specName());
        }
        try {
            champion.requireLayout(holdout.featureNames(), candidateLayout);
            double[] scores = holdout.scoreWith(Scorer.of(champion));
            return new Champion(champion.name(), champion.version(),
                    HoldoutEvaluator.evaluate(candidate.task(), holdout.labels(), scores), true);
        } catch (LayoutMismatchException e) {
            // its scores of these vectors would mean nothing: compare with what it measured on its own holdout
        }
        return new Champion(champion.name(), champion.version(), new Evaluation(champion.metrics(), Map.of()), false);
    }
}
