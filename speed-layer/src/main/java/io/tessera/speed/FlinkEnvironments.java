package io.tessera.speed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.RemoteStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one way the speed layer gets a Flink environment: a loopback-bound MiniCluster on one machine, or
 * a client of a Flink session cluster that the job's jar is submitted to.
 */
public final class FlinkEnvironments {

    private FlinkEnvironments() {
    }

    /**
     * A local environment. A failing job with checkpointing restarts forever and looks hung (docs/stack.md,
     * "Flink"), so the restart strategy is bounded unless the caller sets one.
     */
    public static StreamExecutionEnvironment local(int parallelism) {
        Configuration configuration = loopback();
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.setString("restart-strategy.fixed-delay.attempts", "3");
        configuration.setString("restart-strategy.fixed-delay.delay", "1 s");
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, configuration);
    }

    /**
     * How the streaming job runs.
     *
     * @param restorePoint a checkpoint or savepoint folder to restore from
     * @param restartAttempts restarts after failures with exponential back-off (1 s to 30 s); 0 fails at once
     */
    public record Streaming(int parallelism, Duration checkpointInterval, Path checkpoints, Optional<Path> restorePoint, int restPort,
            int restartAttempts) {
    }

    /**
     * The streaming job's environment in a MiniCluster of this JVM, its REST API and web UI on
     * 127.0.0.1:{@code restPort}.
     */
    public static StreamExecutionEnvironment streaming(Streaming settings) {
        Configuration configuration = loopback();
        configuration.addAll(job(settings));
        configuration.setString("rest.port", Integer.toString(settings.restPort()));
        configuration.setString("taskmanager.numberOfTaskSlots", Integer.toString(Math.max(1, settings.parallelism())));
        return StreamExecutionEnvironment.createLocalEnvironment(settings.parallelism(), configuration);
    }

    /**
     * A Flink session cluster's REST endpoint and the job's self-contained jar.
     *
     * @param jobJar uploaded with the job graph; the cluster provides Flink itself
     */
    public record SessionCluster(String host, int port, Path jobJar) {
    }

    /**
     * The streaming job's environment as a client of a session cluster, as {@code flink run -m} builds it:
     * the job graph is made here and submitted with the jar. The checkpoint and restore paths are in the job's
     * configuration, so the cluster's processes must reach them: any local path on one machine, shared
     * storage (S3, HDFS) on a real cluster.
     */
    public static StreamExecutionEnvironment remote(SessionCluster cluster, Streaming settings) {
        Configuration configuration = job(settings);
        // an unreachable master fails the submission in seconds, not after Flink's 20 retries
        configuration.setString("rest.retry.max-attempts", "2");
        configuration.setString("rest.retry.delay", "1 s");
        configuration.setString("rest.connection-timeout", "10 s");
        StreamExecutionEnvironment env = new RemoteStreamEnvironment(cluster.host(), cluster.port(), configuration,
                new String[] {cluster.jobJar().toString()}, null, SavepointRestoreSettings.fromConfiguration(configuration));
        env.setParallelism(settings.parallelism());
        return env;
    }

    /**
     * What the job needs wherever it runs: aligned exactly-once checkpoints (unaligned ones are off:
     * docs/stack.md, "The cut between batch and speed") retained on cancellation, heap state, object reuse
     * (records pass between chained operators by reference; no function keeps or changes one it emitted).
     */
    private static Configuration job(Streaming settings) {
        Configuration configuration = new Configuration();
        configuration.setString("state.backend.type", "hashmap");
        configuration.setString("state.checkpoints.dir", settings.checkpoints().toUri().toString());
        configuration.setString("execution.checkpointing.interval", settings.checkpointInterval().toMillis() + " ms");
        configuration.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        configuration.setString("execution.checkpointing.unaligned.enabled", "false");
        configuration.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        configuration.setString("execution.checkpointing.tolerable-failed-checkpoints", "3");
        settings.restorePoint().ifPresent(point -> configuration.setString("execution.savepoint.path", point.toUri().toString()));
        if (settings.restartAttempts() == 0) {
            configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
            configuration.setString("restart-strategy.exponential-delay.initial-backoff", "1 s");
            configuration.setString("restart-strategy.exponential-delay.max-backoff", "30 s");
            configuration.setString("restart-strategy.exponential-delay.attempts-before-reset-backoff", Integer.toString(settings.restartAttempts()));
        }
        configuration.setString("pipeline.object-reuse", "true");
        return configuration;
    }

    private static Configuration loopback() {
        Configuration configuration = new Configuration();
        configuration.setString("rest.bind-address", "127.0.0.1");
        configuration.setString("rest.address", "127.0.0.1");
        configuration.setString("jobmanager.bind-host", "127.0.0.1");
        configuration.setString("taskmanager.bind-host", "127.0.0.1");
        configuration.setString("taskmanager.host", "127.0.0.1");
        return configuration;
    }
}
