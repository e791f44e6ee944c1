package io.tessera.speed;

import java.nio.file.Path;

/** The repository's examples, under {@code tessera.root} (the build sets it for every module's tests). */
public final class Examples {

    private Examples() {
    }

    /** {@code examples/card_fraud/pipeline.yaml}. */
    public static Path cardFraudSpec() {
        return Path.of(System.getProperty("tessera.root", "..")).resolve("examples/card_fraud/pipeline.yaml");
    }
}
