package io.tessera.featurestore.vector;

import io.tessera.featurestore.spec.EventFeatureSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The categories a {@code one_hot} feature expands into, when the spec does not fix them.
 *
 * <p>They are learned by the batch layer from the training set, at training time, and stored in the
 * model artifact ({@code vocabularies}); the speed and serving layers read them from the artifact of the
 * model they score with, so a vector always has the columns its model was trained on. A learned
 * vocabulary is followed by one more column, {@value EventFeatureSpec#OTHER_CATEGORY}: 1 for a value outside the vocabulary (a
 * category first seen after training, or one too rare to make the cut), so the model learns what an unseen
 * category means instead of reading it as no category at all.
 */
public final class Vocabulary {

    private Vocabulary() {
    }

    /**
     * The vocabulary for a set of value counts: the {@code maxSize} most frequent values, ties broken by
     * the value, in that order. Deterministic, so retraining on the same data gives the same columns.
     */
    public static List<String> learn(Map<String, Long> counts, int maxSize) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .filter(e -> !EventFeatureSpec.OTHER_CATEGORY.equals(e.getKey()))
                .limit(maxSize)
                .map(Map.Entry::getKey)
                .toList();
    }
}
