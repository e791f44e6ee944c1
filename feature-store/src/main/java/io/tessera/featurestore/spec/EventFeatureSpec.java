package io.tessera.featurestore.spec;

import java.util.List;

/**
 * A feature taken from the event being scored.
 *
 * @param categories for {@code one_hot}: the vocabulary, if the spec fixes it; empty means it is learned
 *     at training time (the {@code maxCategories} most frequent values) and stored in the model artifact
 */
public record EventFeatureSpec(String name, String of, Encoding encode, List<String> categories, int maxCategories) {

    /**
     * The category of the column after a learned vocabulary, which takes every value outside it. Never a
     * learned category itself: a value spelled so is outside the vocabulary too.
     */
    public static final String OTHER_CATEGORY = "__other__";

    public EventFeatureSpec {
        categories = List.copyOf(categories);
    }
}
