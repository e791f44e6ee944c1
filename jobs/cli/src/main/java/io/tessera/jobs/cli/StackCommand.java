package io.tessera.jobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import io.tessera.jobs.serve.QueryApi;
import io.tessera.jobs.serve.QueryApiStatus;
import io.tessera.jobs.speed.SpeedLayer;
import io.tessera.jobs.speed.SpeedStatus;
import io.tessera.stack.LocalStack;
import io.tessera.stack.ServiceName;
import io.tessera.stack.ServiceStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code platform stack ...}: the embedded local stack of real servers on 127.0.0.1. */
@Command(name = "stack", description = "Start, check and stop the local stack (Kafka, Cassandra, Iceberg catalog, Trino; the query API"
        + " when configured; a Flink session cluster when named).",
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class, StackCommand.Logs.class})
final class StackCommand {

    /**
     * The servers a speed layer reads and writes, or runs on: stopping one of them stops the speed layers first
     * (those that run on another Flink cluster too: they would lose their servers all the same).
     */
    private static final Set<ServiceName> SPEED_LAYER_NEEDS = EnumSet.of(ServiceName.KAFKA, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG,
            ServiceName.FLINK, ServiceName.FLINK_TASKMANAGER);

    @ParentCommand
    PlatformCommand platform;

    LocalStack stack() {
        return new LocalStack(platform.settings(), System.out);
    }

    /** The servers among {@code ids}; {@link #API} is not one of them (it is a job of the stack's, like a speed layer). */
    static Set<ServiceName> parse(List<String> ids) {
        Set<ServiceName> names = EnumSet.noneOf(ServiceName.class);
        ids.stream().filter(id -> !id.equals(API) && !id.equals(SCHEDULER)).forEach(id -> names.add(ServiceName.fromId(id)));
        return names;
    }

    /** The name of the query API among the services of {@code stack up}, {@code down} and {@code logs}. */
    static final String API = "api";
    /** The name of the scheduler among them; like the API, a job of the stack's, not a server. */
    static final String SCHEDULER = SchedulerService.ID;

    @Command(name = "up", description = "Start what is not running and wait until every service answers; reuses what runs.")
    static final class Up implements Callable<Integer> {
        @ParentCommand
        StackCommand parent;

        @Parameters(arity = "0..*", paramLabel = "SERVICE", description = "Only these (and what they need): kafka, cassandra, iceberg-catalog,"
                + " trino; api (the query API over the specs of setting serving.specs; started by default when that is set);"
                + " scheduler (platform scheduler run over the specs of setting scheduler.specs; likewise);"
                + " flink (a session cluster: JobManager and TaskManager) only when named.")
        List<String> services = List.of();

        @Override
        public Integer call() throws Exception {
            LocalStack stack = parent.stack();
            long start = System.nanoTime();
            boolean api = services.contains(API) || services.isEmpty() && !ServeCommand.configuredSpecs(stack.settings()).isEmpty();
            boolean scheduler = services.contains(SCHEDULER) || services.isEmpty() && !stack.settings().files("scheduler.specs").isEmpty();
            Set<ServiceName> names = parse(services);
            if (api && !services.isEmpty()) {
                names.add(ServiceName.CASSANDRA);
            }
            if (scheduler && !services.isEmpty()) {
                // what a retrain needs: the lease and the history, and the batch layer's servers
                names.addAll(List.of(ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG, ServiceName.KAFKA));
            }
            stack.up(names);
            if (api) {
                QueryApi query = new QueryApi(stack.settings());
                System.out.println(query.isRunning() ? query.status().toString() : ServeCommand.startConfigured(stack.settings()));
            }
            if (scheduler) {
                SchedulerService service = new SchedulerService(stack.settings());
                System.out.println(service.isRunning() ? service.status().line()
                        : SchedulerCommand.startConfigured(stack.settings(), parent.platform.overrides));
            }
            System.out.printf("stack ready in %.1f s (home %s)%n", (System.nanoTime() - start) / 1e9, stack.settings().home());
            return 0;
        }
    }

    @Command(name = "down", description = "Stop the services cleanly, in reverse order, after the query API and the speed layers (with a savepoint);"
            + " leaves no process behind.")
    static final class Down implements Callable<Integer> {
        @ParentCommand
        StackCommand parent;

        @Parameters(arity = "0..*", paramLabel = "SERVICE", description = "Only these services (default: all).")
        List<String> services = List.of();

        @Override
        public Integer call() throws Exception {
            Set<ServiceName> names = parse(services);
            LocalStack stack = parent.stack();
            if (services.isEmpty() || services.contains(SCHEDULER) || names.contains(ServiceName.CASSANDRA) || names.contains(ServiceName.ICEBERG_CATALOG)) {
                SchedulerService scheduler = new SchedulerService(stack.settings());
                if (scheduler.isKnown() || services.contains(SCHEDULER)) {
                    System.out.println(scheduler.stop());
                }
            }
            if (services.isEmpty() || services.contains(API) || names.contains(ServiceName.CASSANDRA)) {
                QueryApi api = new QueryApi(stack.settings());
                if (api.isKnown() || services.contains(API)) {
                    System.out.println(api.stop());
                }
            }
            if (names.isEmpty() && !services.isEmpty()) {
                return 0;   // only the API or the scheduler
            }
            if (names.isEmpty() || !java.util.Collections.disjoint(names, SPEED_LAYER_NEEDS)) {
                // a speed layer stopped with a savepoint resumes exactly there; one whose servers vanish only fails and restarts
                for (SpeedLayer speed : SpeedLayer.known(stack.settings())) {
                    System.out.println(speed.stopEvenWithoutSavepoint());
                }
            }
            stack.down(names);
            return 0;
        }
    }

    @Command(name = "status", description = "One line per service, then per speed layer and the query API; exits 1 if any is not ready"
            + " (a service started only when named may be off).")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        StackCommand parent;

        @Override
        public Integer call() throws Exception {
            LocalStack stack = parent.stack();
            List<ServiceStatus> statuses = stack.status();
            statuses.forEach(System.out::println);
            boolean speedUp = true;
            for (SpeedLayer speed : SpeedLayer.known(stack.settings())) {
                SpeedStatus status = speed.status();
                System.out.println(status);
                speedUp &= status.isUp();
            }
            QueryApi api = new QueryApi(stack.settings());
            boolean apiUp = true;
            if (api.isKnown()) {
                QueryApiStatus status = api.status();
                System.out.println(status);
                apiUp = status.isUp();
            }
            SchedulerService scheduler = new SchedulerService(stack.settings());
            boolean schedulerUp = true;
            if (scheduler.isKnown()) {
                SchedulerService.Status status = scheduler.status();
                System.out.println(status.line());
                schedulerUp = status.up();
            }
            return statuses.stream().allMatch(ServiceStatus::isAsExpected) && speedUp && apiUp && schedulerUp ? 0 : 1;
        }
    }

    @Command(name = "logs", description = "Print the log of one service (the last lines; --all for everything).")
    static final class Logs implements Callable<Integer> {
        @ParentCommand
        StackCommand parent;

        @Parameters(paramLabel = "SERVICE", description = "kafka, cassandra, iceberg-catalog, trino, flink, flink-taskmanager, api or scheduler.")
        String service;

        @picocli.CommandLine.Option(names = {"-n", "--lines"}, defaultValue = "100", description = "How many lines from the end (default: ${DEFAULT-VALUE}).")
        int lines;

        @picocli.CommandLine.Option(names = "--all", description = "The whole log.")
        boolean all;

        @Override
        public Integer call() throws IOException {
            Path log = service.equals(API) ? new QueryApi(parent.platform.settings()).logFile()
                    : service.equals(SCHEDULER) ? new SchedulerService(parent.platform.settings()).logFile()
                    : parent.stack().logFile(ServiceName.fromId(service));
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
