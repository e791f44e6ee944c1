package io.tessera.speed;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the speed layer's JVM; the {@code platform} launcher starts it with this module's classpath. */
@Command(name = "speed-job", mixinStandardHelpOptions = true, description = "Flink jobs of the speed layer.",
        subcommands = {io.tessera.speed.job.RunCommand.class, io.tessera.speed.lake.SmokeReadJob.class,
                io.tessera.speed.floor.FloorCommand.class})
public final class SpeedJob {

    public static void main(String[] args) {
        System.exit(new CommandLine(new SpeedJob()).execute(args));
    }
}
