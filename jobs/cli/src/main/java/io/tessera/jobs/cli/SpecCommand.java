package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.featurestore.spec.SpecExplainer;
import io.tessera.featurestore.spec.SpecValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code platform spec ...}: check a pipeline spec before any job runs, and see what it resolves to. */
@Command(name = "spec", description = "Validate a pipeline spec or explain the feature vector it resolves to.",
        subcommands = {SpecCommand.Validate.class, SpecCommand.Explain.class})
final class SpecCommand {

    static final int INVALID_SPEC = 1;

    /** Loads the spec, or prints every problem (path, line, column, message) and returns null. */
    static PipelineSpec loadOrReport(Path file) {
        try {
            return PipelineSpecs.load(file);
        } catch (SpecValidationException e) {
            System.err.println(file + ": " + e.problems().size() + " problem(s)");
            e.problems().forEach(problem -> System.err.println("  " + problem));
            return null;
        }
    }

    /** Both subcommands load one spec file; they differ in what they say about a valid one. */
    abstract static class OnSpecFile implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        abstract String describe(PipelineSpec spec);

        @Override
        public Integer call() {
            PipelineSpec spec = loadOrReport(file);
            if (spec == null) {
                return INVALID_SPEC;
            }
            System.out.println(describe(spec));
            return 0;
        }
    }

    @Command(name = "validate", description = "Check a spec; every error names its path, line and column. Exits 1 if invalid.")
    static final class Validate extends OnSpecFile {
        @Override
        String describe(PipelineSpec spec) {
            return file + ": valid pipeline '" + spec.name() + "'";
        }
    }

    @Command(name = "explain", description = "The resolved feature vector every layer will use, and the state per key it implies.")
    static final class Explain extends OnSpecFile {
        @Override
        String describe(PipelineSpec spec) {
            return SpecExplainer.explain(spec);
        }
    }
}
