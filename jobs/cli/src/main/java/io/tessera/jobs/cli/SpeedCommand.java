package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import io.tessera.jobs.speed.FlinkMaster;
import io.tessera.jobs.speed.SpeedLayer;
import io.tessera.jobs.speed.SpeedStatus;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code platform speed ...}: a pipeline's speed layer (Flink) in the background, beside the stack's servers. */
@Command(name = "speed", description = "Start, check and stop the speed layer (Flink) of a pipeline, in the background.",
        subcommands = {SpeedCommand.Start.class, SpeedCommand.Status.class, SpeedCommand.Stop.class})
final class SpeedCommand {

    @ParentCommand
    PlatformCommand platform;

    @Command(name = "start", description = "Start the speed layer of the spec's pipeline in the background (or submit it to a Flink session"
            + " cluster) and wait until its job runs; it restores from its newest checkpoint or savepoint unless --fresh. Prints the Flink web UI"
            + " and the log.")
    static final class Start implements Callable<Integer> {
        @ParentCommand
        SpeedCommand parent;

        @Spec
        CommandSpec command;

        @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
        Path spec;

        @Option(names = "--parallelism", defaultValue = "1", paramLabel = "N", description = "Tasks per operator (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(names = "--fresh", description = "Start without state (a new generation) even if a checkpoint or savepoint exists.")
        boolean fresh;

        @Option(names = "--flink-master", paramLabel = "HOST:PORT", description = "Submit the job with its jar to the Flink session cluster whose"
                + " REST endpoint this is (`platform stack up flink` starts one) instead of running it here; the client exits once the job runs.")
        String flinkMaster;

        @Override
        public Integer call() throws Exception {
            if (parallelism < 1) {
                throw new ParameterException(command.commandLine(), "--parallelism must be at least 1, not " + parallelism);
            }
            FlinkMaster master = null;
            if (flinkMaster != null) {
                try {
                    master = FlinkMaster.parse(flinkMaster);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(command.commandLine(), e.getMessage());
                }
            }
            PipelineSpec pipeline = SpecCommand.loadOrReport(spec);
            if (pipeline == null) {
                return SpecCommand.INVALID_SPEC;
            }
            StackSettings settings = parent.platform.settings();
            StackRequirements.requireReady(settings, ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG);
            SpeedLayer speed = new SpeedLayer(settings, pipeline.name());
            int restPort = settings.port("speed.rest.port");
            List<String> args = new ArrayList<>(List.of("run", "--spec", spec.toAbsolutePath().toString(),
                    "--catalog-uri", settings.icebergCatalogUri(), "--kafka", settings.kafkaBootstrap(),
                    "--state-dir", speed.stateDir().toString(), "--parallelism", Integer.toString(parallelism),
                    "--rest-port", Integer.toString(restPort),
                    "--checkpoint-interval", Duration.ofSeconds(settings.count("speed.checkpoint.seconds")).toString(),
                    "--bucket-epochs", Integer.toString(settings.count("speed.bucket.epochs"))));
            args.addAll(ServingSettings.jobArgs(settings));
            if (fresh) {
                args.add("--fresh");
            }
            Duration timeout = Duration.ofSeconds(settings.count("start.timeout.seconds"));
            LayerLauncher launcher = new LayerLauncher(settings);
            if (master == null) {
                System.out.println(speed.start(launcher.launch(Layer.SPEED, args), restPort, timeout));
                return 0;
            }
            // the checkpoints and savepoints stay in the home's state folder: the cluster's processes must reach that path
            args.addAll(List.of("--flink-master", master.toString(), "--job-jar", launcher.jobJar(Layer.SPEED).toString(),
                    "--job-id-file", speed.submittedJobIdFile().toString()));
            System.out.println(speed.startOnCluster(master, launcher.launch(Layer.SPEED, args), timeout));
            return 0;
        }
    }

    @Command(name = "status", description = "One line per pipeline whose speed layer runs (or died): process, Flink job state, uptime,"
            + " checkpoints. Exits 1 if one is down.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        SpeedCommand parent;

        @Option(names = "--spec", paramLabel = "FILE", description = "Only this pipeline's (then exits 1 also when it is not running).")
        Path spec;

        @Override
        public Integer call() throws Exception {
            StackSettings settings = parent.platform.settings();
            List<SpeedLayer> layers;
            if (spec != null) {
                PipelineSpec pipeline = SpecCommand.loadOrReport(spec);
                if (pipeline == null) {
                    return SpecCommand.INVALID_SPEC;
                }
                layers = List.of(new SpeedLayer(settings, pipeline.name()));
            } else {
                layers = SpeedLayer.known(settings);
                if (layers.isEmpty()) {
                    System.out.println("no speed layer runs in " + settings.home());
                    return 0;
                }
            }
            boolean allUp = true;
            for (SpeedLayer layer : layers) {
                SpeedStatus status = layer.status();
                System.out.println(status);
                allUp &= status.isUp();
            }
            return allUp ? 0 : ErrorReporter.FAILED;
        }
    }

    @Command(name = "stop", description = "Stop the speed layer of the spec's pipeline with a savepoint (the next start resumes from it);"
            + " prints the savepoint's path.")
    static final class Stop implements Callable<Integer> {
        @ParentCommand
        SpeedCommand parent;

        @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
        Path spec;

        @Override
        public Integer call() throws Exception {
            PipelineSpec pipeline = SpecCommand.loadOrReport(spec);
            if (pipeline == null) {
                return SpecCommand.INVALID_SPEC;
            }
            System.out.println(new SpeedLayer(parent.platform.settings(), pipeline.name()).stop());
            return 0;
        }
    }
}
