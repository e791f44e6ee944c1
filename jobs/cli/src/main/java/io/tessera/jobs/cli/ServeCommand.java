package io.tessera.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code platform serve}: the query API in a JVM of its own, in the foreground until stopped (Ctrl-C). */
@Command(name = "serve", description = "The query API (HTTP/JSON) over the merged batch and realtime views of the given pipelines.")
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    PlatformCommand platform;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "A pipeline spec to serve (repeatable).")
    List<Path> specs;

    @Option(names = "--port", paramLabel = "PORT", description = "Default: setting serving.port.")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Default: setting serving.host (127.0.0.1); any other address needs API keys.")
    String host;

    @Override
    public Integer call() throws Exception {
        for (Path spec : specs) {
            if (SpecCommand.loadOrReport(spec) == null) {
                return SpecCommand.INVALID_SPEC;
            }
        }
        StackSettings settings = platform.settings();
        StackRequirements.requireReady(settings, ServiceName.CASSANDRA);
        List<String> args = new ArrayList<>(ServingSettings.jobArgs(settings));
        args.addAll(List.of("--host", host != null ? host : settings.value("serving.host"),
                "--port", Integer.toString(port != null ? port : settings.port("serving.port")),
                "--max-batch", settings.value("serving.max.batch")));
        Path keys = ApiKeysCommand.file(settings);
        if (Files.exists(keys)) {
            args.addAll(List.of("--api-keys", keys.toString()));
        }
        for (Path spec : specs) {
            args.addAll(List.of("--spec", spec.toAbsolutePath().toString()));
        }
        return new LayerLauncher(settings).run(Layer.SERVING, args);
    }
}
