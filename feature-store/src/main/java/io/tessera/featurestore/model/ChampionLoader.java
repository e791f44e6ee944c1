package io.tessera.featurestore.model;

import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.PublishedView;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scorers of the champions views name (and of a challenger beside them), loaded from their portable
 * artifacts once per checksum and view layout, and verified before any score: the artifact must be the
 * one the reference names (same SHA-256) and must have been trained on the view's feature layout. The
 * query API and every speed-layer task load models this way, each for itself. Thread-safe.
 */
public final class ChampionLoader {

    /** Why a view's champion cannot score; {@link #code()} is stable for error bodies and metrics. */
    public static final class ChampionUnavailableException extends RuntimeException {

        private final String code;

        ChampionUnavailableException(String code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        /**
         * {@code champion_unreadable}, {@code champion_changed} or {@code champion_layout}; for a
         * challenger, {@code challenger_unreadable}, {@code challenger_changed} or {@code challenger_layout}.
         */
        public String code() {
            return code;
        }
    }

    /** By checksum and layout fingerprint. */
    private final Map<String, Scorer> byChecksum = new ConcurrentHashMap<>();

    /**
     * The scorer of {@code view}'s champion.
     *
     * @throws IllegalArgumentException if the view has no champion
     * @throws ChampionUnavailableException if its artifact cannot be read, is not the one the view names,
     *     or was trained on another layout
     */
    public Scorer scorer(PublishedView view) {
        ChampionRef champion = view.champion().orElseThrow(() -> new IllegalArgumentException("view v" + view.viewVersion()
                + " has no champion"));
        return scorer(champion, Provenance.Role.CHAMPION, view);
    }

    /**
     * The scorer of {@code model} for the vectors of {@code view} (a challenger's, or a view's champion).
     *
     * @param role names the model in failures: {@code champion_*} or {@code challenger_*} codes
     * @throws ChampionUnavailableException if its artifact cannot be read, is not the one referenced, or
     *     was trained on another layout than the view's
     */
    public Scorer scorer(ChampionRef model, Provenance.Role role, PublishedView view) {
        // the layout is part of the key: the same artifact verified against one view says nothing of another's layout
        String key = model.checksum() + "/" + view.layoutFingerprint().hex();
        Scorer cached = byChecksum.get(key);
        if (cached != null) {
            return cached;
        }
        Scorer loaded = load(model, role.name().toLowerCase(Locale.ROOT), view);
        byChecksum.put(key, loaded);
        return loaded;
    }

    private static Scorer load(ChampionRef model, String role, PublishedView view) {
        ModelArtifact artifact;
        try {
            artifact = ModelFormat.read(Path.of(model.artifactLocation()));
        } catch (ModelFormatException | java.io.UncheckedIOException e) {
            throw new ChampionUnavailableException(role + "_unreadable", "cannot load " + role + " " + model + ": " + e.getMessage(), e);
        }
        if (!ModelFormat.checksum(artifact).equals(model.checksum())) {
            throw new ChampionUnavailableException(role + "_changed", role + " " + model + " at " + model.artifactLocation()
                    + " is not the artifact " + (role.equals("champion") ? "the view names" : "that was set") + " (checksum differs)", null);
        }
        try {
            artifact.requireLayout(view.featureNames(), view.layoutFingerprint());
        } catch (LayoutMismatchException e) {
            throw new ChampionUnavailableException(role + "_layout", e.getMessage(), e);
        }
        return Scorer.of(artifact);
    }
}
