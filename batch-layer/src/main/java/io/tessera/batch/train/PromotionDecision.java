package io.tessera.batch.train;

/**
 * Whether a candidate model replaces the champion, and why.
 *
 * @param promote true to make the candidate the champion
 * @param metricUsed the metric compared: the spec's, or {@code logloss} when the spec's is undefined on
 *     the holdout (the reason says so)
 * @param candidateValue the candidate's value of that metric; NaN only when the candidate has none, and
 *     then {@code promote} is false
 * @param championValue the champion's value, or for the first model the trivial baseline's; null when
 *     there is nothing to compare with
 * @param reason one or two sentences a person reads in the registry and the report
 */
public record PromotionDecision(boolean promote, String metricUsed, double candidateValue, Double championValue,
                                String reason) {
}
