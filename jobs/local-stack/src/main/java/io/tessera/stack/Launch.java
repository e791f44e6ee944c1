package io.tessera.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** How to start one server process: its command line, working directory and extra environment. */
public record Launch(List<String> command, Path workingDirectory, Map<String, String> environment) {

    public Launch {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    public Launch(List<String> command, Path workingDirectory) {
        this(command, workingDirectory, Map.of());
    }
}
