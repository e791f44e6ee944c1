package io.tessera.batch.ingest;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.tessera.batch.lake.PipelineJobOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ingest}: a CSV or JSON file into the pipeline's master dataset, atomically and idempotently. */
@Command(name = "ingest", description = "Load a CSV or JSON file into lake.<pipeline>.events; bad records to lake.<pipeline>.quarantine.")
public final class IngestJob implements Callable<Integer> {

    @Mixin
    PipelineJobOptions pipeline;

    @Option(names = "--file", required = true)
    Path file;

    @Override
    public Integer call() throws Exception {
        return pipeline.run("ingest", (spec, spark) -> System.out.println(new FileIngest(spark, spec).ingest(file)));
    }
}
