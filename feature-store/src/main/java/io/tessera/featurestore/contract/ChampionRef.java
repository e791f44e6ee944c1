package io.tessera.featurestore.contract;

import java.util.Objects;

/**
 * The model a view's scores were computed with, and where its portable artifact lives, so that any
 * reader can load it and verify it is the same one.
 *
 * @param artifactLocation where the portable artifact ({@code model.json}) is stored
 * @param checksum the artifact's SHA-256 ({@code ModelFormat.checksum}); loading must match it
 */
public record ChampionRef(String name, long version, String artifactLocation, String checksum) {

    public ChampionRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(artifactLocation, "artifactLocation");
        Objects.requireNonNull(checksum, "checksum");
        if (version < 1) {
            throw new IllegalArgumentException("model versions start at 1, got " + version);
        }
    }

    @Override
    public String toString() {
        return name + " v" + version;
    }
}
