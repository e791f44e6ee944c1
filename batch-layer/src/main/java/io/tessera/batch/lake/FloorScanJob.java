package io.tessera.batch.lake;

import java.util.concurrent.Callable;

import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The floor the batch view is measured against: a plain Spark SQL job that reads the same events and
 * groups them by key, and nothing else. The retrain benchmark compares the view step with it.
 */
@Command(name = "floor-scan", description = "Benchmark floor: read lake.<pipeline>.events and group every column by the entity key.")
public final class FloorScanJob implements Callable<Integer> {

    @Mixin
    PipelineJobOptions options;

    @Override
    public Integer call() throws Exception {
        return options.run("floor-scan", (spec, spark) -> {
            String events = new PipelineTables(spark, spec.spec()).events();
            long start = System.nanoTime();
            long keys = spark.table(events)
                    .groupBy(spec.spec().entity().key())
                    .agg(functions.collect_list(functions.struct(java.util.Arrays.stream(spark.table(events).columns())
                            .map(functions::col).toArray(org.apache.spark.sql.Column[]::new))).as("events"))
                    .filter(functions.size(functions.col("events")).gt(0))
                    .count();
            System.out.printf("floor-scan: %d keys grouped in %.1f s%n", keys, (System.nanoTime() - start) / 1e9);
        });
    }
}
