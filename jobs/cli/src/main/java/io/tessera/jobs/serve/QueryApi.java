package io.tessera.jobs.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.tessera.stack.Launch;
import io.tessera.stack.LocalStack;
import io.tessera.stack.ServiceProcess;
import io.tessera.stack.StackSettings;

/**
 * The query API of a home run in the background under the stack's supervision, like its servers and speed
 * layers: pid file {@code run/api.pid}, log {@code logs/api.log}. Its base URL is recorded beside the pid
 * file, because the port setting may differ between the start and a later status or stop.
 */
public final class QueryApi {

    static final String ID = "api";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration TERM_GRACE = Duration.ofSeconds(15);

    private final StackSettings settings;
    private final ServiceProcess process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();

    public QueryApi(StackSettings settings) {
        this.settings = settings;
        this.process = new ServiceProcess(settings, ID);
    }

    public Path logFile() {
        return process.logFile();
    }

    public boolean isRunning() {
        return process.live().isPresent();
    }

    /** True when a pid file says the API was started in this home (it may have died since). */
    public boolean isKnown() {
        return process.live().isPresent() || process.isStale();
    }

    /**
     * Starts the API's JVM in the background and waits until it answers {@code /health/live}.
     *
     * @return where it listens, with the pid and the log
     * @throws IllegalStateException when it already runs, the port is taken, or it dies or does not answer
     *     within {@code timeout} (then it is stopped and the log's last lines are in the message)
     */
    public String start(Launch launch, String host, int port, Duration timeout) throws IOException, InterruptedException {
        Optional<ProcessHandle> running = process.live();
        if (running.isPresent()) {
            throw new IllegalStateException("the query API already runs (pid " + running.get().pid() + ", " + recordedUrl().orElse("?")
                    + "); stop it first with `platform stack down api`");
        }
        process.clearStale();
        if (host.equals(StackSettings.BIND_HOST) && !LocalStack.isFree(port)) {
            throw new IllegalStateException("port " + port + " on " + host + " is taken (another query API or another program):"
                    + " choose one with --port or --set serving.port=PORT");
        }
        long logStart = process.logSize();
        String url = "http://" + (host.equals("0.0.0.0") ? StackSettings.BIND_HOST : host) + ":" + port;
        Files.createDirectories(settings.runDir());
        Files.writeString(urlRecord(), url + System.lineSeparator());
        ProcessHandle handle = process.start(launch);
        process.awaitStarted(handle, logStart, () -> probe(url, "/health/live") == 200, timeout, "the query API", "the query API did not answer",
                this::forget);
        return "query API on " + url + " (OpenAPI at " + url + "/openapi.json); pid " + handle.pid() + ", log " + logFile();
    }

    /** Where the process is and whether it is ready (Cassandra answers); never throws for an API that is down. */
    public QueryApiStatus status() throws InterruptedException {
        Optional<ProcessHandle> live = process.live();
        if (live.isEmpty()) {
            return QueryApiStatus.down(process.isStale() ? "the process died; see " + logFile() : "not running");
        }
        Duration uptime = live.get().info().startInstant().map(start -> Duration.between(start, Instant.now())).orElse(Duration.ZERO);
        Optional<String> url = recordedUrl();
        if (url.isEmpty()) {
            return new QueryApiStatus(live.get().pid(), "UNKNOWN", uptime, "", "no record of its address in " + urlRecord());
        }
        int ready = probe(url.get(), "/health/ready");
        String state = switch (ready) {
            case 200 -> "READY";
            case 503 -> "NOT_READY";
            case -1 -> "NOT_ANSWERING";
            default -> "HTTP_" + ready;
        };
        return new QueryApiStatus(live.get().pid(), state, uptime, url.get(), ready == 503 ? "Cassandra does not answer it" : "");
    }

    /** Stops the API (SIGTERM: it closes its server and Cassandra session; SIGKILL after a grace period). */
    public String stop() throws IOException {
        if (process.live().isEmpty()) {
            boolean died = process.isStale();
            forget();
            return "the query API is not running" + (died ? " (it had died; its pid file is removed; see " + logFile() + ")" : "");
        }
        boolean clean = process.stop(TERM_GRACE);
        forget();
        return "the query API stopped" + (clean ? "" : " (SIGKILL after " + TERM_GRACE.toSeconds() + " s)");
    }

    /** The HTTP status of {@code path}, or -1 when nothing answers in time. */
    private int probe(String url, String path) throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).timeout(PROBE_TIMEOUT).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notListening) {
            return -1;
        }
    }

    private Path urlRecord() {
        return settings.runDir().resolve(ID + ".url");
    }

    private Optional<String> recordedUrl() {
        try {
            return Optional.of(Files.readString(urlRecord()).trim()).filter(url -> !url.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void forget() throws IOException {
        process.clearStale();
        Files.deleteIfExists(urlRecord());
    }
}
