package io.tessera.batch.retrain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tessera.batch.registry.RegisteredModel;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.vector.FeatureLayout;

/**
 * How a batch view is scored: by the champion when its layout is the view's, else not at all, with the
 * reason. Decided once per run, before any key is scored: a champion trained on other features (a window,
 * condition or vocabulary changed in the spec since) must never score misaligned columns.
 *
 * @param layout the view's feature layout
 * @param vocabularies its one_hot vocabularies: the champion's when it scores, else learned from the data
 * @param model the portable model that scores each key's newest event; empty for a view without scores
 * @param champion the reference the view's provenance names when it is scored
 * @param withheld why the scores are withheld although a champion exists
 */
record ViewScoring(FeatureLayout layout, Map<String, List<String>> vocabularies, Optional<ModelArtifact> model, Optional<ChampionRef> champion,
        Optional<String> withheld) {

    /**
     * @param learned the vocabularies learned from the run's training events, used when no champion scores
     */
    static ViewScoring decide(PipelineSpec spec, Optional<RegisteredModel> champion, Optional<ModelArtifact> artifact,
            Map<String, List<String>> learned) {
        if (champion.isPresent() && artifact.isPresent()) {
            ModelArtifact model = artifact.get();
            try {
                FeatureLayout layout = FeatureLayout.of(spec, model.vocabularies());
                model.requireLayout(layout.names(), layout.fingerprint());
                RegisteredModel registered = champion.get();
                return new ViewScoring(layout, model.vocabularies(), Optional.of(model), Optional.of(new ChampionRef(model.name(),
                        registered.version(), registered.artifactLocation(), registered.checksum())), Optional.empty());
            } catch (IllegalArgumentException e) {   // a LayoutMismatchException, or a vocabulary the spec now contradicts
                return new ViewScoring(FeatureLayout.of(spec, learned), learned, Optional.empty(), Optional.empty(),
                        Optional.of("champion " + model.name() + " v" + model.version() + " does not fit this spec's features: "
                                + e.getMessage()));
            }
        }
        return new ViewScoring(FeatureLayout.of(spec, learned), learned, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
