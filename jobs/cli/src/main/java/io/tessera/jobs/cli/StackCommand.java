package io.tessera.jobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import io.tessera.stack.LocalStack;
import io.tessera.stack.ServiceName;
import io.tessera.stack.ServiceStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code platform stack ...}: the embedded local stack of real servers on 127.0.0.1. */
@Command(name = "stack", description = "Start, check and stop the local stack (Kafka, Cassandra, Iceberg catalog, Trino).",
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class, StackCommand.Logs.class})
final class StackCommand {

    @ParentCommand
    PlatformCommand platform;

    LocalStack stack() {
        return new LocalStack(platform.settings(), System.out);
    }

    static Set<ServiceName> parse(List<String> ids) {
        Set<ServiceName> names = EnumSet.noneOf(ServiceName.class);
        ids.forEach(id -> names.add(ServiceName.fromId(id)));
        return names;
    }

    @Command(name = "up", description = "Start what is not running and wait until every service answers; reuses what runs.")
    static final class Up implements Callable<Integer> {
        @ParentCommand
        StackCommand parent;

        @Parameters(arity = "0..*", paramLabel = "SERVICE", description = "Only these (and what they need): kafka, cassandra, iceberg-catalog, trino.")
        List<String> services = List.of();

        @Override
        public Integer call() {
            LocalStack stack = parent.stack();
            long start = System.nanoTime();
            stack.up(parse(services));
            System.out.printf("stack ready in %.1f s (home %s)%n", (System.nanoTime() - start) / 1e9, stack.settings().home());
            return 0;
        }
    }

    @Command(name = "down", description = "Stop the services cleanly, in reverse order; leaves no process behind.")
    static final class Down implements Callable<Integer> {
        @ParentCommand
        StackCommand parent;

        @Parameters(arity = "0..*", paramLabel = "SERVICE", description = "Only these services (default: all).")
        List<String> services = List.of();

        @Override
        public Integer call() {
            parent.stack().down(parse(services));
            return 0;
        }
    }

    @Command(name = "status", description = "One line per service; exits 1 if any service is not ready.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        StackCommand parent;

        @Override
        public Integer call() {
            List<ServiceStatus> statuses = parent.stack().status();
            statuses.forEach(System.out::println);
            return statuses.stream().allMatch(ServiceStatus::isReady) ? 0 : 1;
        }
    }

    @Command(name = "logs", description = "Print the log of one service (the last lines; --all for everything).")
    static final class Logs implements Callable<Integer> {
        @ParentCommand
        StackCommand parent;

        @Parameters(paramLabel = "SERVICE", description = "kafka, cassandra, iceberg-catalog or trino.")
        String service;

        @picocli.CommandLine.Option(names = {"-n", "--lines"}, defaultValue = "100", description = "How many lines from the end (default: ${DEFAULT-VALUE}).")
        int lines;

        @picocli.CommandLine.Option(names = "--all", description = "The whole log.")
        boolean all;

        @Override
        public Integer call() throws IOException {
            Path log = parent.stack().logFile(ServiceName.fromId(service));
            if (!Files.exists(log)) {
                System.err.println("no log yet for " + service + " (" + log + "): it has never been started in this home");
                return 1;
            }
            List<String> content = Files.readAllLines(log);
            content.subList(all ? 0 : Math.max(0, content.size() - lines), content.size()).forEach(System.out::println);
            return 0;
        }
    }
}
