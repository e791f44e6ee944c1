package io.tessera.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import io.tessera.jobs.serve.QueryApi;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code platform serve}: the query API in a JVM of its own, in the foreground until stopped (Ctrl-C), or
 * with {@code --background} under the stack's supervision ({@code stack status} shows it, {@code stack
 * down} stops it; {@code stack up} starts it too when the setting {@code serving.specs} names specs).
 */
@Command(name = "serve", description = "The query API (HTTP/JSON) over the merged batch and realtime views of the given pipelines.")
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    PlatformCommand platform;

    @Spec
    CommandSpec command;

    @Option(names = "--spec", paramLabel = "FILE", description = "A pipeline spec to serve (repeatable). Default: setting serving.specs.")
    List<Path> specs = List.of();

    @Option(names = "--port", paramLabel = "PORT", description = "Default: setting serving.port.")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Default: setting serving.host (127.0.0.1); any other address needs API keys.")
    String host;

    @Option(names = "--background", description = "Run under the stack's supervision (pid and log in the home) and return once it answers.")
    boolean background;

    @Override
    public Integer call() throws Exception {
        StackSettings settings = platform.settings();
        List<Path> served = specs.isEmpty() ? configuredSpecs(settings) : specs;
        if (served.isEmpty()) {
            command.commandLine().getErr().println("no pipeline to serve: pass --spec FILE (repeatable) or set serving.specs=FILE[,FILE...]");
            return SpecCommand.INVALID_SPEC;
        }
        for (Path spec : served) {
            if (SpecCommand.loadOrReport(spec) == null) {
                return SpecCommand.INVALID_SPEC;
            }
        }
        StackRequirements.requireReady(settings, ServiceName.CASSANDRA);
        String address = host != null ? host : settings.value("serving.host");
        int listen = port != null ? port : settings.port("serving.port");
        List<String> args = args(settings, served, address, listen);
        if (background) {
            System.out.println(startInBackground(settings, args, address, listen));
            return 0;
        }
        return new LayerLauncher(settings).run(Layer.SERVING, args);
    }

    /** The specs of setting {@code serving.specs} (comma-separated files), the API's pipelines when started by {@code stack up}. */
    static List<Path> configuredSpecs(StackSettings settings) {
        return settings.files("serving.specs");
    }

    /** Starts the API of setting {@code serving.specs} in the background, on the configured address: for {@code stack up}. */
    static String startConfigured(StackSettings settings) throws Exception {
        List<Path> configured = configuredSpecs(settings);
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("the query API serves the specs of setting serving.specs, which is not set:"
                    + " set serving.specs=FILE[,FILE...] or run `platform serve --spec FILE --background`");
        }
        for (Path spec : configured) {
            if (SpecCommand.loadOrReport(spec) == null) {
                throw new IllegalArgumentException("setting serving.specs names a spec that does not load: " + spec);
            }
        }
        String address = settings.value("serving.host");
        int listen = settings.port("serving.port");
        return startInBackground(settings, args(settings, configured, address, listen), address, listen);
    }

    private static String startInBackground(StackSettings settings, List<String> args, String address, int listen) throws Exception {
        Duration timeout = Duration.ofSeconds(settings.count("start.timeout.seconds"));
        return new QueryApi(settings).start(new LayerLauncher(settings).launch(Layer.SERVING, args), address, listen, timeout);
    }

    /** The API JVM's arguments: the serving tables' settings, the address, the keys file when there is one, the specs. */
    private static List<String> args(StackSettings settings, List<Path> specs, String address, int listen) {
        List<String> args = new ArrayList<>(ServingSettings.jobArgs(settings));
        args.addAll(List.of("--host", address, "--port", Integer.toString(listen), "--max-batch", settings.value("serving.max.batch")));
        Path keys = ApiKeysCommand.file(settings);
        if (Files.exists(keys)) {
            args.addAll(List.of("--api-keys", keys.toString()));
        }
        for (Path spec : specs) {
            args.addAll(List.of("--spec", spec.toAbsolutePath().toString()));
        }
        return args;
    }
}
