package io.tessera.featurestore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's {@code examples/} folder, found from wherever the tests run (repo root or module). */
public final class ExampleFiles {

    private ExampleFiles() {
    }

    public static Path examples() {
        String root = System.getProperty("tessera.root");
        if (root != null && Files.isDirectory(Path.of(root, "examples"))) {
            return Path.of(root, "examples");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("examples").resolve("card_fraud"))) {
                return dir.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/ folder above " + Path.of("").toAbsolutePath());
    }

    public static Path example(String name, String file) {
        return examples().resolve(name).resolve(file);
    }

    public static String read(String name, String file) {
        try {
            return Files.readString(example(name, file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The card-fraud spec, exactly as published. */
    public static String cardFraudSpec() {
        return read("card_fraud", "pipeline.yaml");
    }
}
