package io.tessera.batch.train;

import io.tessera.featurestore.spec.Metric;
import io.tessera.featurestore.spec.Task;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Computes an {@link Evaluation} from labels and scores in plain Java, the same code for the candidate
 * (Spark's scores), the trivial baseline (a constant) and a champion rescored by its portable export, so
 * the three are compared on equal terms. Exact: AUC is the Mann-Whitney statistic with ties counted as
 * half (the area under the full ROC curve), not Spark's binned approximation.
 */
public final class HoldoutEvaluator {

    /** Log loss clips probabilities to {@code [EPS, 1 - EPS]}, as Spark's and scikit-learn's do. */
    static final double LOG_LOSS_EPS = 1e-15;
    static final double THRESHOLD = 0.5;

    private HoldoutEvaluator() {
    }

    public static Evaluation evaluate(Task task, double[] labels, double[] scores) {
        if (labels.length != scores.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + scores.length + " scores");
        }
        return switch (task) {
            case BINARY_CLASSIFICATION -> classification(labels, scores);
            case REGRESSION -> regression(labels, scores);
        };
    }

    private static Evaluation classification(double[] labels, double[] probabilities) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> undefined = new LinkedHashMap<>();
        int n = labels.length;
        int positives = 0;
        for (double label : labels) {
            if (label == 1.0) {
                positives++;
            } else if (label != 0.0) {
                throw new IllegalArgumentException("a binary label must be 0 or 1, got " + label);
            }
        }
        int negatives = n - positives;
        String notScored = notScored(probabilities);
        if (n == 0 || notScored != null) {
            String why = n == 0 ? "the holdout is empty" : notScored;
            for (String name : new String[] {Metric.AUC.specName(), Metric.LOGLOSS.specName(), Evaluation.PRECISION, Evaluation.RECALL}) {
                undefined.put(name, why);
            }
        } else {
            if (positives == 0 || negatives == 0) {
                undefined.put(Metric.AUC.specName(), "no " + (positives == 0 ? "positive" : "negative")
                        + " labels among the " + n + " holdout rows");
            } else {
                metrics.put(Metric.AUC.specName(), auc(labels, probabilities));
            }
            metrics.put(Metric.LOGLOSS.specName(), logLoss(labels, probabilities));
            int flagged = 0;
            int truePositives = 0;
            for (int i = 0; i < n; i++) {
                if (probabilities[i] > THRESHOLD) {
                    flagged++;
                    if (labels[i] == 1.0) {
                        truePositives++;
                    }
                }
            }
            // With no positives but some rows flagged, precision is 0, not undefined: every flag was false.
            if (flagged == 0) {
                undefined.put(Evaluation.PRECISION, "no holdout row scored above " + THRESHOLD);
            } else {
                metrics.put(Evaluation.PRECISION, (double) truePositives / flagged);
            }
            if (positives == 0) {
                undefined.put(Evaluation.RECALL, "no positive labels among the " + n + " holdout rows");
            } else {
                metrics.put(Evaluation.RECALL, (double) truePositives / positives);
            }
        }
        metrics.put(Evaluation.ROWS, (double) n);
        metrics.put(Evaluation.POSITIVES, (double) positives);
        return new Evaluation(metrics, undefined);
    }

    private static Evaluation regression(double[] labels, double[] predictions) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> undefined = new LinkedHashMap<>();
        int n = labels.length;
        String notScored = notScored(predictions);
        if (n == 0 || notScored != null) {
            String why = n == 0 ? "the holdout is empty" : notScored;
            undefined.put(Metric.RMSE.specName(), why);
            undefined.put(Metric.MAE.specName(), why);
        } else {
            double squared = 0.0;
            double absolute = 0.0;
            for (int i = 0; i < n; i++) {
                double error = predictions[i] - labels[i];
                squared += error * error;
                absolute += Math.abs(error);
            }
            metrics.put(Metric.RMSE.specName(), Math.sqrt(squared / n));
            metrics.put(Metric.MAE.specName(), absolute / n);
        }
        metrics.put(Evaluation.ROWS, (double) n);
        return new Evaluation(metrics, undefined);
    }

    /** A reason the scores cannot be evaluated, or null. */
    private static String notScored(double[] scores) {
        int bad = 0;
        for (double s : scores) {
            if (!Double.isFinite(s)) {
                bad++;
            }
        }
        return bad == 0 ? null : "the model gave no finite score for " + bad + " of " + scores.length + " rows";
    }

    private static double logLoss(double[] labels, double[] probabilities) {
        double sum = 0.0;
        for (int i = 0; i < labels.length; i++) {
            double p = Math.min(Math.max(probabilities[i], LOG_LOSS_EPS), 1.0 - LOG_LOSS_EPS);
            sum -= labels[i] == 1.0 ? Math.log(p) : Math.log(1.0 - p);
        }
        return sum / labels.length;
    }

    /**
     * P(score of a random positive > score of a random negative) + half P(equal): for each positive, the
     * negatives strictly below it plus half of those tied with it, over positives × negatives.
     */
    static double auc(double[] labels, double[] scores) {
        ClassScores classes = ClassScores.of(labels, scores);
        double[] pos = classes.positives();
        double[] neg = classes.negatives();
        double wins = 0.0; // in units of half a pair, so that the sum stays an exact integer
        int below = 0;
        int belowOrEqual = 0;
        for (double s : pos) {
            while (below < neg.length && neg[below] < s) {
                below++;
            }
            if (belowOrEqual < below) {
                belowOrEqual = below;
            }
            while (belowOrEqual < neg.length && neg[belowOrEqual] <= s) {
                belowOrEqual++;
            }
            wins += below + belowOrEqual; // 2·below + (belowOrEqual − below)
        }
        return wins / 2.0 / ((double) pos.length * neg.length);
    }
}
