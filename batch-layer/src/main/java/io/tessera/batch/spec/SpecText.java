package io.tessera.batch.spec;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;

/**
 * A pipeline spec as it travels to Spark executors: its YAML text, parsed (and validated) once per JVM on
 * first use. Shipping the text instead of the parsed objects keeps the feature-store free of any
 * serialization concern and guarantees every executor evaluates the very same document.
 */
public final class SpecText implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String yaml;
    private final String sourceName;
    private transient PipelineSpec parsed;

    private SpecText(String yaml, String sourceName) {
        this.yaml = yaml;
        this.sourceName = sourceName;
    }

    /** Reads and validates the spec now, so a broken spec fails before any Spark work starts. */
    public static SpecText read(Path file) throws IOException {
        SpecText text = new SpecText(Files.readString(file), file.toString());
        text.spec();
        return text;
    }

    public static SpecText of(String yaml, String sourceName) {
        SpecText text = new SpecText(yaml, sourceName);
        text.spec();
        return text;
    }

    public PipelineSpec spec() {
        if (parsed == null) {
            parsed = PipelineSpecs.parse(yaml, sourceName);
        }
        return parsed;
    }

    public String yaml() {
        return yaml;
    }
}
