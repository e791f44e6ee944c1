package io.tessera.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** The card_fraud example's spec, found from the working directory up: benchmarks run from the repository. */
final class CardFraudExample {

    private CardFraudExample() {
    }

    static Path spec() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/card_fraud/pipeline.yaml");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("run from the repository: examples/card_fraud/pipeline.yaml not found");
    }
}
