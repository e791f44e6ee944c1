package io.tessera.featurestore.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads pipeline specs. The one entry point for every layer and for {@code platform spec validate}.
 *
 * <p>Strict: unknown keys, wrong types, windows that are not a multiple of the tile, expressions that do
 * not type-check, unknown ops, algorithms, tasks and metrics, a metric that does not fit the task, a cron
 * expression that does not parse, bad durations and percentages are all reported, every one with its
 * path, line and column, all at once.
 */
public final class PipelineSpecs {

    private PipelineSpecs() {
    }

    /**
     * @throws SpecValidationException listing every problem
     * @throws UncheckedIOException if the file cannot be read
     */
    public static PipelineSpec load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spec " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /**
     * @param sourceName names the document in the exception message (a file name)
     * @throws SpecValidationException listing every problem
     */
    public static PipelineSpec parse(String yaml, String sourceName) {
        YamlDocument.Parsed parsed;
        try {
            parsed = YamlDocument.parse(yaml);
        } catch (YamlDocument.SyntaxError e) {
            throw new SpecValidationException(sourceName, List.of(new SpecProblem("", e.line, e.column, e.getMessage())));
        }
        if (parsed.root() == null) {
            throw new SpecValidationException(sourceName,
                    List.of(new SpecProblem("", 1, 1, "empty document: expected a pipeline spec")));
        }
        ProblemCollector problems = new ProblemCollector();
        parsed.duplicateKeys().forEach(problems::add);
        var spec = new PipelineSpecReader(parsed.root(), problems).read();
        if (!problems.isEmpty() || spec.isEmpty()) {
            throw new SpecValidationException(sourceName, problems.sorted());
        }
        return spec.get();
    }
}
