package io.tessera.speed;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The one way the speed layer gets a Flink environment: a loopback-bound MiniCluster on one machine. */
public final class FlinkEnvironments {

    private FlinkEnvironments() {
    }

    /**
     * A local environment. A failing job with checkpointing restarts forever and looks hung (docs/stack.md,
     * "Flink"), so the restart strategy is bounded unless the caller sets one.
     */
    public static StreamExecutionEnvironment local(int parallelism) {
        Configuration configuration = new Configuration();
        configuration.setString("rest.bind-address", "127.0.0.1");
        configuration.setString("rest.address", "127.0.0.1");
        configuration.setString("jobmanager.bind-host", "127.0.0.1");
        configuration.setString("taskmanager.bind-host", "127.0.0.1");
        configuration.setString("taskmanager.host", "127.0.0.1");
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.setString("restart-strategy.fixed-delay.attempts", "3");
        configuration.setString("restart-strategy.fixed-delay.delay", "1 s");
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, configuration);
    }
}
