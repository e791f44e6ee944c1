package io.tessera.speed.job;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import java.io.Serializable;

/**
 * The pipeline spec as the job ships it to its tasks: the text, parsed where it is used (the parsed spec
 * holds compiled expressions that are not serializable). Every task parses the same text, so every task
 * has the same plan.
 */
public record SpecText(String yaml, String origin) implements Serializable {

    private static final long serialVersionUID = 1L;

    public PipelineSpec parse() {
        return PipelineSpecs.parse(yaml, origin);
    }
}
