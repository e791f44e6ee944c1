package io.tessera.batch.lake;

import java.nio.file.Path;

import io.tessera.batch.spec.SpecText;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * What every batch job of one pipeline takes (a picocli mixin): its spec, the lake's catalog and the Spark
 * master, and the one way such a job runs: spec validated first, then a Spark session for the job's
 * duration.
 */
public final class PipelineJobOptions {

    /** The work of a job, given the validated spec and an open session. */
    public interface Work {
        void run(SpecText spec, SparkSession spark) throws Exception;
    }

    @Option(names = "--spec", required = true, description = "The pipeline spec (YAML).")
    Path spec;

    @Option(names = "--catalog-uri", required = true, description = "The lake's Iceberg REST catalog.")
    String catalogUri;

    @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--verbose", description = "On failure, print the stack trace after the one-line message.")
    boolean verbose;

    /** Reads and validates the spec, opens Spark, runs {@code work}, stops Spark whatever happens. */
    public int run(String job, Work work) throws Exception {
        SpecText specText = SpecText.read(spec);
        SparkSession spark = LakeSessions.open(master, catalogUri, job + " " + specText.spec().name());
        try {
            work.run(specText, spark);
            return 0;
        } finally {
            spark.stop();
        }
    }
}
