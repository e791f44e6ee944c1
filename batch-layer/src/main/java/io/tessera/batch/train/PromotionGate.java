package io.tessera.batch.train;

import io.tessera.featurestore.expr.Condition;
import io.tessera.featurestore.expr.ExpressionEnvironment;
import io.tessera.featurestore.expr.InvalidExpressionException;
import io.tessera.featurestore.spec.Metric;
import io.tessera.featurestore.spec.ModelSpec;
import io.tessera.featurestore.spec.Task;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Decides whether a candidate replaces the champion (docs/architecture.md, "The contracts that make it one
 * system", safe publication: a model becomes visible only if it passes this gate).
 *
 * <ul>
 *   <li>With a champion: the spec's {@code promote_if}, a CEL condition over {@code candidate} and
 *       {@code champion}, evaluated on the spec's metric.
 *   <li>Without one (the first model): the candidate must be strictly better than the trivial baseline
 *       on that metric (higher AUC; lower log loss, RMSE, MAE), so a model that learned nothing is never
 *       published.
 *   <li>When the spec's metric is undefined (AUC on a holdout without positives, as in the fraud sample),
 *       the gate compares log loss instead, which is defined on any non-empty holdout, and says so. The
 *       spec's {@code promote_if} is then not used: it is written for the other metric's scale and
 *       direction ({@code candidate >= champion - 0.005} for AUC would promote a worse log loss); the
 *       rule is the spec reader's default for log loss, {@code candidate <= champion}.
 *   <li>Nothing to compare (no value for the candidate, or a champion that recorded neither metric): not
 *       promoted; the champion keeps serving and the reason says why. No number is ever made up.
 * </ul>
 */
public final class PromotionGate {

    private static final ExpressionEnvironment ENVIRONMENT = ExpressionEnvironment.ofDoubles("candidate", "champion");

    private final ModelSpec spec;
    private final Metric metric;
    private final Condition promoteIf;

    /**
     * @throws IllegalArgumentException if {@code promote_if} does not compile (a validated spec's does)
     */
    public PromotionGate(ModelSpec spec) {
        this.spec = spec;
        this.metric = spec.metric() != null ? spec.metric() : Metric.defaultFor(spec.task());
        this.promoteIf = condition(spec.promoteIf() != null ? spec.promoteIf() : notWorse(metric));
    }

    /**
     * @param candidate the candidate on the holdout
     * @param baseline the trivial baseline on the same rows (used for the first model)
     * @param champion the current champion, if any
     */
    public PromotionDecision decide(Evaluation candidate, Evaluation baseline, Optional<Champion> champion) {
        Optional<Evaluation> other = champion.map(Champion::evaluation);
        String missing = missing(metric, candidate, other);
        Metric used = metric;
        String fallback = "";
        if (missing != null) {
            boolean logLossHelps = spec.task() == Task.BINARY_CLASSIFICATION && metric != Metric.LOGLOSS
                    && missing(Metric.LOGLOSS, candidate, other) == null;
            if (!logLossHelps) {
                return new PromotionDecision(false, metric.specName(), candidate.value(metric).orElse(Double.NaN), null,
                        "Not promoted: " + missing + ", so nothing can be compared; the champion, if any, keeps serving.");
            }
            used = Metric.LOGLOSS;
            fallback = "Compared on log loss because " + missing + ". ";
        }
        double c = candidate.value(used).getAsDouble();
        if (champion.isEmpty()) {
            return againstBaseline(used, c, baseline, fallback);
        }
        Champion current = champion.get();
        double h = current.evaluation().value(used).getAsDouble();
        // promote_if is written for the spec's metric: its scale and direction do not carry over to log loss
        Condition rule = used == metric ? promoteIf : condition(notWorse(used));
        boolean promote = rule.test(Map.of("candidate", c, "champion", h));
        String where = current.onCandidateHoldout() ? "on the same holdout"
                : "(the champion's value is from its own holdout: it cannot score this one's features)";
        return new PromotionDecision(promote, used.specName(), c, h, fallback + (promote ? "Promoted" : "Not promoted")
                + ": candidate " + used.specName() + " " + number(c) + " vs champion " + current.name() + " v"
                + current.version() + " " + number(h) + " " + where + "; " + (used == metric ? "promote_if" : "rule")
                + " '" + rule.source() + "' is " + promote + ".");
    }

    /** Why {@code metric} cannot be compared, or null if both sides have it. */
    private static String missing(Metric metric, Evaluation candidate, Optional<Evaluation> champion) {
        String name = metric.specName();
        if (candidate.value(metric).isEmpty()) {
            return name + " is undefined for the candidate (" + candidate.whyUndefined(name).orElse("not computed") + ")";
        }
        if (champion.isPresent() && champion.get().value(metric).isEmpty()) {
            return "the champion has no " + name + " (" + champion.get().whyUndefined(name).orElse("not recorded") + ")";
        }
        return null;
    }

    private static PromotionDecision againstBaseline(Metric used, double c, Evaluation baseline, String fallback) {
        OptionalDouble b = baseline.value(used);
        if (b.isEmpty()) {
            return new PromotionDecision(false, used.specName(), c, null, "Not promoted: " + fallback
                    + "the trivial baseline has no " + used.specName() + " ("
                    + baseline.whyUndefined(used.specName()).orElse("not computed") + ").");
        }
        double base = b.getAsDouble();
        boolean better = used.higherIsBetter() ? c > base : c < base;
        return new PromotionDecision(better, used.specName(), c, base, fallback + (better ? "Promoted" : "Not promoted")
                + ": first model; candidate " + used.specName() + " " + number(c) + (better ? " beats" : " does not beat")
                + " the trivial baseline's " + number(base) + " (" + (used.higherIsBetter() ? "higher" : "lower")
                + " is better).");
    }

    private static String notWorse(Metric metric) {
        return metric.higherIsBetter() ? "candidate >= champion" : "candidate <= champion";
    }

    private static Condition condition(String source) {
        try {
            return ENVIRONMENT.condition(source);
        } catch (InvalidExpressionException e) {
            throw new IllegalArgumentException("promote_if: " + e.getMessage(), e);
        }
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
