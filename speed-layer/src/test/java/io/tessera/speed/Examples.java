package io.tessera.speed;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's examples, found from wherever the tests run (the module's folder, or the root). */
public final class Examples {

    private Examples() {
    }

    /** {@code examples/card_fraud/pipeline.yaml}. */
    public static Path cardFraudSpec() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("examples/card_fraud"))) {
                return dir.resolve("examples/card_fraud/pipeline.yaml");
            }
        }
        throw new IllegalStateException("no examples/ above " + Path.of("").toAbsolutePath());
    }
}
