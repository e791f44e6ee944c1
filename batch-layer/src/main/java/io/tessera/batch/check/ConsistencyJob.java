package io.tessera.batch.check;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

import io.tessera.batch.lake.PipelineJobOptions;
import io.tessera.batch.publish.ServingOptions;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.SourceTopic;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.serving.store.ServingStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code check-consistency}: the {@link ConsistencyCheck} of sampled keys. Exit 0 when the API serves
 * exactly what the lake gives, 1 with the mismatches otherwise.
 */
@Command(name = "check-consistency", description = "Compare the query API's vectors of sampled keys with the lake's, feature by feature.")
public final class ConsistencyJob implements Callable<Integer> {

    @Mixin
    PipelineJobOptions options;

    @Mixin
    ServingOptions serving;

    @Option(names = "--api", required = true, description = "The query API's base URL.")
    String apiUrl;

    @Option(names = "--sample", defaultValue = "20", description = "Keys to compare: half with speed events since the view, half without;"
            + " 0 for the named keys alone.")
    int sample;

    @Option(names = "--key", description = "A key to compare besides the sample (repeatable).")
    List<String> named = List.of();

    @Option(names = "--at", description = "Read every key as of this instant instead of just after its newest event.")
    Instant at;

    @Option(names = "--seed", defaultValue = "1", description = "Fixes which keys are sampled.")
    long seed;

    @Option(names = "--wait", defaultValue = "PT2M", description = "How long to wait for the speed layer to catch up (ISO-8601 duration).")
    Duration wait;

    @Override
    public Integer call() throws Exception {
        if (sample < 0 || sample == 0 && named.isEmpty()) {
            throw new IllegalArgumentException("--sample must be at least 1 (or 0 with --key), got " + sample);
        }
        int[] exit = {0};
        options.run("check consistency", (spec, spark) -> {
            PipelineSpec pipeline = spec.spec();
            LakeVectors lake = new LakeVectors(spark, pipeline);
            try (ServingStore store = serving.serving(pipeline.name(), pipeline.serving().view());
                 SpeedCatchUp speed = new SpeedCatchUp(serving.kafka(), pipeline.source().topic(), SourceTopic.speedConsumerGroup(pipeline.name()))) {
                ConsistencyCheck check = new ConsistencyCheck(lake, new ApiVectors(apiUrl, pipeline.name()), store, speed, wait);
                PublishedView view = check.currentView();
                List<String> keys = new java.util.ArrayList<>(named);
                lake.sample(view, sample, seed).stream().filter(key -> !named.contains(key)).forEach(keys::add);
                System.out.printf("check     %s: %d keys against view v%d (lake snapshot %d), each read %s%n", pipeline.name(), keys.size(),
                        view.viewVersion(), view.snapshot().id(), at == null ? "just after its newest event" : "as of " + at);
                ConsistencyReport report = check.run(keys,
                        at == null ? OptionalLong.empty() : OptionalLong.of(at.toEpochMilli()), System.out);
                System.out.print(report.render());
                exit[0] = report.consistent() ? 0 : 1;
            }
        });
        return exit[0];
    }
}
