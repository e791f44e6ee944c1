package io.tessera.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code platform speed-job ...}: any speed-layer job (e.g. the benchmark floor) with its own arguments, for operators and benchmarks. */
@Command(name = "speed-job", hidden = true, description = "Run a speed-layer job directly in its own JVM (arguments as the job takes them).")
final class SpeedJobCommand implements Callable<Integer> {

    @ParentCommand
    PlatformCommand platform;

    @Parameters(arity = "1..*", paramLabel = "ARG", description = "The job and its arguments, e.g. floor --spec S --kafka K --cassandra C --state-dir D.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return new LayerLauncher(platform.settings()).run(Layer.SPEED, args);
    }
}
