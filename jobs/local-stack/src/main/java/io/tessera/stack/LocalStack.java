package io.tessera.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import io.tessera.stack.service.CassandraNode;
import io.tessera.stack.service.FlinkJobManager;
import io.tessera.stack.service.FlinkTaskManager;
import io.tessera.stack.service.IcebergCatalog;
import io.tessera.stack.service.KafkaBroker;
import io.tessera.stack.service.TrinoServer;

/**
 * Starts, checks and stops the local stack: each service a child process with its own JVM, classpath,
 * pid file and log file under the home folder. Every operation is idempotent: {@code up} reuses what
 * runs and restarts only what is down; {@code down} of a stopped stack does nothing.
 */
public final class LocalStack {

    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration STOP_GRACE = Duration.ofSeconds(45);

    private final StackSettings settings;
    private final PrintStream out;
    private final Map<ServiceName, LocalService> services = new EnumMap<>(ServiceName.class);

    public LocalStack(StackSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        List.of(new KafkaBroker(settings), new CassandraNode(settings), new IcebergCatalog(settings), new TrinoServer(settings),
                        new FlinkJobManager(settings), new FlinkTaskManager(settings))
                .forEach(service -> services.put(service.name(), service));
    }

    public StackSettings settings() {
        return settings;
    }

    public LocalService service(ServiceName name) {
        return services.get(name);
    }

    public Path logFile(ServiceName name) {
        return process(name).logFile();
    }

    /**
     * Brings the given services (and what they require, and their companions; none given: those started by
     * default) up and waits until each answers a real request.
     * Services already running are reused; independent services start in parallel.
     *
     * @return the services this call started (empty when everything was already up)
     * @throws StackStartException when a service exits or does not become ready in time; its log is named
     */
    public Set<ServiceName> up(Set<ServiceName> wanted) {
        Set<ServiceName> closure = withRequirements(wanted);
        Artifacts artifacts = new Artifacts(out);
        Map<ServiceName, Launch> launches = new EnumMap<>(ServiceName.class);
        Set<ServiceName> started = EnumSet.noneOf(ServiceName.class);
        Set<ServiceName> ready = EnumSet.noneOf(ServiceName.class);
        try {
            for (ServiceName name : closure) {
                ServiceProcess process = process(name);
                if (process.live().isPresent()) {
                    continue;
                }
                if (process.isStale()) {
                    out.println(name + ": stale pid file (process gone), starting it again");
                    process.clearStale();
                }
                requireFreePorts(services.get(name));
                launches.put(name, services.get(name).prepare(artifacts));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(settings.count("start.timeout.seconds")).toNanos();
        while (ready.size() < closure.size()) {
            for (ServiceName name : closure) {
                if (ready.contains(name)) {
                    continue;
                }
                LocalService service = services.get(name);
                ServiceProcess process = process(name);
                if (process.live().isEmpty()) {
                    if (started.contains(name)) {
                        throw new StackStartException(name + " exited during start; see " + process.logFile());
                    }
                    if (ready.containsAll(service.requires())) {
                        startProcess(name, launches.get(name));
                        started.add(name);
                    }
                } else if (service.isReady()) {
                    ready.add(name);
                    out.printf("%-16s ready     %s%s%n", name.id(), service.address(), started.contains(name) ? "" : "  (already running)");
                }
            }
            if (ready.size() < closure.size() && System.nanoTime() > deadline) {   // the last one may have become ready just now
                List<ServiceName> late = closure.stream().filter(n -> !ready.contains(n)).toList();
                throw new StackStartException("not ready within " + settings.value("start.timeout.seconds") + " s: " + late
                        + "; see " + late.stream().map(n -> process(n).logFile().toString()).toList());
            }
            sleep(POLL);
        }
        return started;
    }

    /** Stops the given services (none given: all) and their companions in reverse start order: SIGTERM, then SIGKILL after a grace period. */
    public void down(Set<ServiceName> names) {
        Set<ServiceName> stopped = names.isEmpty() ? EnumSet.allOf(ServiceName.class) : EnumSet.copyOf(names);
        names.forEach(name -> stopped.addAll(services.get(name).companions()));
        List<ServiceName> order = new ArrayList<>(stopped);
        java.util.Collections.reverse(order);
        for (ServiceName name : order) {
            ServiceProcess process = process(name);
            OptionalLong pid = process.live().map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty());
            try {
                boolean clean = process.stop(STOP_GRACE);
                if (pid.isPresent()) {
                    out.printf("%-16s stopped   pid %d%s%n", name.id(), pid.getAsLong(), clean ? "" : " (killed after " + STOP_GRACE.toSeconds() + " s)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public List<ServiceStatus> status() {
        List<ServiceStatus> statuses = new ArrayList<>();
        for (LocalService service : services.values()) {
            ServiceProcess process = process(service.name());
            var live = process.live();
            if (live.isEmpty() && !service.name().byDefault() && !process.isStale()) {
                statuses.add(new ServiceStatus(service.name(), ServiceStatus.State.OFF, OptionalLong.empty(), service.address(),
                        "started only when named: platform stack up " + service.name().id()));
            } else if (live.isEmpty()) {
                String detail = process.isStale() ? "stale pid file: the process died" : "";
                statuses.add(new ServiceStatus(service.name(), ServiceStatus.State.DOWN, OptionalLong.empty(), service.address(), detail));
            } else {
                ServiceStatus.State state = service.isReady() ? ServiceStatus.State.READY : ServiceStatus.State.NOT_READY;
                statuses.add(new ServiceStatus(service.name(), state, OptionalLong.of(live.get().pid()), service.address(), ""));
            }
        }
        return statuses;
    }

    private void startProcess(ServiceName name, Launch launch) {
        try {
            ProcessHandle handle = process(name).start(launch);
            out.printf("%-16s starting  pid %d, log %s%n", name.id(), handle.pid(), settings.home().relativize(process(name).logFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private Set<ServiceName> withRequirements(Set<ServiceName> wanted) {
        Set<ServiceName> closure = EnumSet.noneOf(ServiceName.class);
        List<ServiceName> pending = new ArrayList<>(wanted.isEmpty() ? ServiceName.defaults() : wanted);
        while (!pending.isEmpty()) {
            ServiceName next = pending.remove(pending.size() - 1);
            if (closure.add(next)) {
                pending.addAll(services.get(next).requires());
                pending.addAll(services.get(next).companions());
            }
        }
        return closure;
    }

    /** True when nothing listens on {@code port} of 127.0.0.1: checked before a start, so a foreign process is named, not hit. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(StackSettings.BIND_HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireFreePorts(LocalService service) {
        for (int port : service.ports()) {
            if (!isFree(port)) {
                throw new StackStartException(service.name() + " cannot start: port " + port + " on " + StackSettings.BIND_HOST
                        + " is taken by a process that is not this stack's (change it with --set or in " + StackSettings.FILE_NAME + ")");
            }
        }
    }

    private ServiceProcess process(ServiceName name) {
        return new ServiceProcess(settings, name);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackStartException("interrupted while waiting for the stack");
        }
    }
}
