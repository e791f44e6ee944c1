package io.tessera.jobs.cli;

import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code platform demo}: the platform end to end on embedded defaults. */
@Command(name = "demo", description = "Bring the stack up and run the platform end to end on the example data, printing what it does.")
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    PlatformCommand platform;

    @Override
    public Integer call() throws Exception {
        var stack = new io.tessera.stack.LocalStack(platform.settings(), System.out);
        stack.up(Set.of());
        return 0;
    }
}
