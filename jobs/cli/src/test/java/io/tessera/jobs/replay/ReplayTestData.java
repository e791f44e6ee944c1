package io.tessera.jobs.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;

/** The card_fraud example's spec, on a topic of the test's own and in either source format. */
final class ReplayTestData {

    private ReplayTestData() {
    }

    static String cardFraudYaml(String topic, String format) {
        Path example = Path.of(System.getProperty("tessera.root", "../..")).resolve("examples/card_fraud/pipeline.yaml");
        try {
            return Files.readString(example)
                    .replace("topic: transactions", "topic: " + topic)
                    .replace("format: csv", "format: " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PipelineSpec cardFraud(String topic, String format) {
        return PipelineSpecs.parse(cardFraudYaml(topic, format), "pipeline.yaml");
    }
}
