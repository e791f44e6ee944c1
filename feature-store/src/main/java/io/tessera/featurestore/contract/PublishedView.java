package io.tessera.featurestore.contract;

import io.tessera.featurestore.spec.Fingerprint;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One published batch view: the facts the lake's publication history, the serving metadata and the
 * control message all carry, defined once here and encoded by each of them.
 *
 * @param viewVersion increases with every view written, published or not
 * @param snapshot the lake snapshot S whose events the view holds, whatever their event time
 * @param cut the realtime partials S covers
 * @param cutoff T: bounds the training labels and the holdout of the run that published the view, not
 *     the view's events
 * @param champion the model that scored the view's keys; empty if there was no champion, or if it did not
 *     fit the view's features ({@code scoresWithheld} then says why)
 * @param scoresWithheld why the view carries no scores although a champion exists; empty otherwise
 * @param specFingerprint {@code PipelineSpec.fingerprint()} of the spec the view was computed with
 * @param planFingerprint {@code FeaturePlan.fingerprint()}: the layout of the partials; a reader with
 *     another plan must not merge them
 * @param layoutFingerprint {@code FeatureLayout.fingerprint()} of the vectors: what a model must have been
 *     trained on to score them
 * @param featureNames the vector's columns, in order
 * @param vocabularies the one_hot vocabularies the vector's columns were built with
 * @param entities the number of keys in the view
 * @param publishedAt when the publication was recorded, UTC epoch milliseconds
 */
public record PublishedView(
        String pipeline,
        long viewVersion,
        SnapshotRef snapshot,
        ServingCut cut,
        long cutoff,
        Optional<ChampionRef> champion,
        Optional<String> scoresWithheld,
        Fingerprint specFingerprint,
        Fingerprint planFingerprint,
        Fingerprint layoutFingerprint,
        List<String> featureNames,
        Map<String, List<String>> vocabularies,
        long entities,
        long publishedAt) {

    /**
     * Forward-only publication orders views by the snapshot they read, then by cutoff, then by version
     * (a newer version of the same snapshot and cutoff, e.g. scored by a newly promoted champion).
     */
    public static final Comparator<PublishedView> RECENCY = Comparator
            .comparingLong((PublishedView v) -> v.snapshot().sequenceNumber())
            .thenComparingLong(PublishedView::cutoff)
            .thenComparingLong(PublishedView::viewVersion);

    public PublishedView {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(cut, "cut");
        Objects.requireNonNull(champion, "champion");
        Objects.requireNonNull(scoresWithheld, "scoresWithheld");
        Objects.requireNonNull(specFingerprint, "specFingerprint");
        Objects.requireNonNull(planFingerprint, "planFingerprint");
        Objects.requireNonNull(layoutFingerprint, "layoutFingerprint");
        if (viewVersion < 1) {
            throw new IllegalArgumentException("view versions start at 1, got " + viewVersion);
        }
        if (entities < 0) {
            throw new IllegalArgumentException("a view cannot hold " + entities + " entities");
        }
        if (champion.isPresent() && scoresWithheld.isPresent()) {
            throw new IllegalArgumentException("a view is either scored by its champion or has its scores withheld, not both");
        }
        featureNames = List.copyOf(featureNames);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        vocabularies.forEach((feature, categories) -> copy.put(feature, List.copyOf(categories)));
        vocabularies = Collections.unmodifiableMap(copy);
    }

    /** True if this view must not replace {@code current}: it is older, or the same one. */
    public boolean isNotNewerThan(PublishedView current) {
        return RECENCY.compare(this, current) <= 0;
    }

    @Override
    public String toString() {
        return pipeline + " view v" + viewVersion + " of " + snapshot + ", cutoff " + java.time.Instant.ofEpochMilli(cutoff)
                + ", cut " + cut + ", " + entities + " entities, "
                + champion.map(c -> "scored by " + c).orElse(scoresWithheld.map(r -> "scores withheld: " + r).orElse("no champion"));
    }
}
