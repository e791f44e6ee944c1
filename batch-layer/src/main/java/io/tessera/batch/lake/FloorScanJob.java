package io.tessera.batch.lake;

import java.util.concurrent.Callable;

import io.tessera.batch.spec.SpecText;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The floor the batch view is measured against: a plain Spark SQL job that reads the same events and
 * groups them by key, and nothing else. The retrain benchmark compares the view step with it.
 */
@Command(name = "floor-scan", description = "Benchmark floor: read lake.<pipeline>.events and group every column by the entity key.")
public final class FloorScanJob implements Callable<Integer> {

    @Option(names = "--spec", required = true)
    java.nio.file.Path spec;

    @Option(names = "--catalog-uri", required = true)
    String catalogUri;

    @Option(names = "--master", defaultValue = "local[2]")
    String master;

    @Override
    public Integer call() throws Exception {
        SpecText specText = SpecText.read(spec);
        PipelineTables tables = new PipelineTables(null, specText.spec());
        SparkSession spark = LakeSessions.open(master, catalogUri, "floor-scan");
        try {
            long start = System.nanoTime();
            long keys = spark.table(tables.events())
                    .groupBy(specText.spec().entity().key())
                    .agg(functions.collect_list(functions.struct(java.util.Arrays.stream(spark.table(tables.events()).columns())
                            .map(functions::col).toArray(org.apache.spark.sql.Column[]::new))).as("events"))
                    .filter(functions.size(functions.col("events")).gt(0))
                    .count();
            System.out.printf("floor-scan: %d keys grouped in %.1f s%n", keys, (System.nanoTime() - start) / 1e9);
            return 0;
        } finally {
            spark.stop();
        }
    }
}
