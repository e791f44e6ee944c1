package io.tessera.batch.ingest;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.tessera.batch.lake.LakeSessions;
import io.tessera.batch.spec.SpecText;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ingest}: a CSV or JSON file into the pipeline's master dataset, atomically and idempotently. */
@Command(name = "ingest", description = "Load a CSV or JSON file into lake.<pipeline>.events; bad records to lake.<pipeline>.quarantine.")
public final class IngestJob implements Callable<Integer> {

    @Option(names = "--spec", required = true)
    Path spec;

    @Option(names = "--file", required = true)
    Path file;

    @Option(names = "--catalog-uri", required = true)
    String catalogUri;

    @Option(names = "--master", defaultValue = "local[2]")
    String master;

    @Override
    public Integer call() throws Exception {
        SpecText specText = SpecText.read(spec);
        SparkSession spark = LakeSessions.open(master, catalogUri, "ingest " + specText.spec().name());
        try {
            System.out.println(new FileIngest(spark, specText).ingest(file));
            return 0;
        } finally {
            spark.stop();
        }
    }
}
