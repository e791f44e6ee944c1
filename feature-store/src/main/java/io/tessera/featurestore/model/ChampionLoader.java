package io.tessera.featurestore.model;

import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.PublishedView;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scorers of the champions views name, loaded from their portable artifacts once per checksum and
 * verified before any score: the artifact must be the one the view names (same SHA-256) and must have
 * been trained on the view's feature layout. The query API and every speed-layer task load models this
 * way, each for itself. Thread-safe.
 */
public final class ChampionLoader {

    /** Why a view's champion cannot score; {@link #code()} is stable for error bodies and metrics. */
    public static final class ChampionUnavailableException extends RuntimeException {

        private final String code;

        ChampionUnavailableException(String code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        /** {@code champion_unreadable}, {@code champion_changed} or {@code champion_layout}. */
        public String code() {
            return code;
        }
    }

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
        Scorer cached = byChecksum.get(champion.checksum());
        if (cached != null) {
            return cached;
        }
        Scorer loaded = load(champion, view);
        byChecksum.put(champion.checksum(), loaded);
        return loaded;
    }

    private static Scorer load(ChampionRef champion, PublishedView view) {
        ModelArtifact artifact;
        try {
            artifact = ModelFormat.read(Path.of(champion.artifactLocation()));
        } catch (ModelFormatException | java.io.UncheckedIOException e) {
            throw new ChampionUnavailableException("champion_unreadable", "cannot load champion " + champion + ": " + e.getMessage(), e);
        }
        if (!ModelFormat.checksum(artifact).equals(champion.checksum())) {
            throw new ChampionUnavailableException("champion_changed", "champion " + champion + " at " + champion.artifactLocation()
                    + " is not the artifact the view names (checksum differs)", null);
        }
        try {
            artifact.requireLayout(view.featureNames(), view.layoutFingerprint());
        } catch (LayoutMismatchException e) {
            throw new ChampionUnavailableException("champion_layout", e.getMessage(), e);
        }
        return Scorer.of(artifact);
    }
}
