package io.tessera.jobs.cli;

import java.util.Arrays;
import java.util.List;

import io.tessera.stack.LocalStack;
import io.tessera.stack.ServiceName;
import io.tessera.stack.ServiceStatus;
import io.tessera.stack.StackSettings;

/** Jobs need servers; a job started without them should say which and how to start them, not time out. */
final class StackRequirements {

    private StackRequirements() {
    }

    static void requireReady(StackSettings settings, ServiceName... services) {
        List<ServiceName> needed = Arrays.asList(services);
        List<ServiceStatus> down = new LocalStack(settings, System.out).status().stream()
                .filter(status -> needed.contains(status.name()) && !status.isReady())
                .toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException("not running: " + down.stream().map(s -> s.name() + " (" + s.address() + ")").toList()
                    + "; start the stack with ./platform stack up" + (settings.home().endsWith(".platform") ? "" : " --home " + settings.home()));
        }
    }
}
