package io.tessera.batch.registry;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.model.LayoutMismatchException;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.model.ModelFormatException;
import io.tessera.serving.store.ServedView;

/**
 * The check every change of what scores makes before it changes anything: the model's artifact is the
 * registered one (its checksum), and it was trained on the feature layout of the view serving, so it
 * scores that view's vectors and no misaligned columns.
 */
final class ServingFit {

    private ServingFit() {
    }

    /**
     * @param noView what to say when no view is published yet
     * @param refusal the named failure of the caller, given the reason
     * @return the view serving
     */
    static <E extends RuntimeException> PublishedView require(ChampionRef ref, Optional<ServedView> current, String noView,
            Function<String, E> refusal) {
        ModelArtifact artifact;
        try {
            artifact = ModelFormat.read(Path.of(ref.artifactLocation()));
        } catch (ModelFormatException | java.io.UncheckedIOException e) {
            throw refusal.apply("cannot read v" + ref.version() + "'s artifact at " + ref.artifactLocation() + ": " + e.getMessage());
        }
        if (!ModelFormat.checksum(artifact).equals(ref.checksum())) {
            throw refusal.apply("v" + ref.version() + "'s artifact at " + ref.artifactLocation() + " is not the one registered (checksum differs)");
        }
        PublishedView view = current.orElseThrow(() -> refusal.apply(noView)).view();
        try {
            artifact.requireLayout(view.featureNames(), view.layoutFingerprint());
        } catch (LayoutMismatchException e) {
            throw refusal.apply("v" + ref.version() + " cannot score the vectors of the view serving (v" + view.viewVersion() + "): "
                    + e.getMessage());
        }
        return view;
    }

    /** The reference a view or a challenger assignment names for a registered model. */
    static ChampionRef ref(RegisteredModel model) {
        return new ChampionRef(model.name(), model.version(), model.artifactLocation(), model.checksum());
    }
}
