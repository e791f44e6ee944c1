package io.tessera.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.tessera.batch.spec.SpecText;

/** The card_fraud example (spec and real sample) as tests use it: each test under a pipeline name of its own. */
public final class BatchTestData {

    private BatchTestData() {
    }

    public static Path exampleDir() {
        return Path.of(System.getProperty("tessera.root", "..")).resolve("examples/card_fraud");
    }

    /** The example spec renamed to {@code pipeline}, so its lake namespace is the test's own. */
    public static SpecText cardFraudSpec(String pipeline) throws IOException {
        return cardFraudSpec(pipeline, "");
    }

    /** The example spec renamed, with {@code extraFields} (YAML flow entries like {@code "zip: string"}) added to source.fields. */
    public static SpecText cardFraudSpec(String pipeline, String extraFields) throws IOException {
        String yaml = Files.readString(exampleDir().resolve("pipeline.yaml")).replace("pipeline: card_fraud", "pipeline: " + pipeline);
        if (!extraFields.isEmpty()) {
            yaml = yaml.replace("is_fraud: int }", "is_fraud: int, " + extraFields + " }");
        }
        return SpecText.of(yaml, pipeline + ".yaml");
    }

    /** The example spec renamed, with the sample's {@code trans_num} declared and used as the event id ({@code source.id}). */
    public static SpecText cardFraudSpecWithEventId(String pipeline) throws IOException {
        String yaml = cardFraudSpec(pipeline, "trans_num: string").yaml().replace("  max_lateness: 1h", "  max_lateness: 1h\n  id: trans_num");
        return SpecText.of(yaml, pipeline + ".yaml");
    }

    /** The header and the first {@code rows} transactions of the real sample, plus {@code extraLines}, in a new file. */
    public static Path sampleFile(Path dir, int rows, List<String> extraLines) throws IOException {
        List<String> lines = Files.readAllLines(exampleDir().resolve("transactions.csv"));
        List<String> selected = new java.util.ArrayList<>(lines.subList(0, Math.min(lines.size(), rows + 1)));
        selected.addAll(extraLines);
        Path file = dir.resolve("transactions-" + rows + "-" + extraLines.size() + ".csv");
        Files.write(file, selected);
        return file;
    }
}
