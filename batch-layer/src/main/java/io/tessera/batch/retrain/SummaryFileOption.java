package io.tessera.batch.retrain;

import java.io.IOException;
import java.nio.file.Path;

import io.tessera.featurestore.lake.BatchJobSummary;
import picocli.CommandLine.Option;

/** {@code --summary-file} of the jobs that publish a view (a picocli mixin): where the scheduler reads what the run did. */
public final class SummaryFileOption {

    @Option(names = "--summary-file", description = "Also write what the run did (BatchJobSummary: model, view, cutoff) to this file, for the scheduler.")
    Path file;

    /** Writes {@code summary} if a file was asked for. */
    void write(BatchJobSummary summary) throws IOException {
        if (file != null) {
            summary.write(file);
        }
    }
}
