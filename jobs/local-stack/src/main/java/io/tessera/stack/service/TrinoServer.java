package io.tessera.stack.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.stack.Artifacts;
import io.tessera.stack.JavaRuntimes;
import io.tessera.stack.JvmCommand;
import io.tessera.stack.Launch;
import io.tessera.stack.LocalService;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;

/**
 * Trino 476 with two catalogs: {@code lake} (Iceberg through the REST catalog) and {@code serving}
 * (Cassandra). Runs on a JDK 24 or newer found on the machine, started as a plain JVM (no Python launcher).
 */
public final class TrinoServer implements LocalService {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Trino's own jvm.config (as its container image ships it), less the jvmkill agent we do not ship. */
    private static final List<String> JVM_OPTIONS = List.of(
            "-XX:G1HeapRegionSize=32M", "-XX:+ExplicitGCInvokesConcurrent", "-XX:+ExitOnOutOfMemoryError",
            "-XX:-OmitStackTraceInFastThrow", "-XX:ReservedCodeCacheSize=256M", "-XX:PerMethodRecompilationCutoff=10000",
            "-XX:PerBytecodeRecompilationCutoff=10000", "-Djdk.attach.allowAttachSelf=true", "-Djdk.nio.maxCachedBufferSize=2000000",
            "-XX:+EnableDynamicAgentLoading", "-XX:+UnlockDiagnosticVMOptions", "-XX:G1NumCollectionsKeepPinned=10000000",
            "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

    private final StackSettings settings;
    private final int port;

    public TrinoServer(StackSettings settings) {
        this.settings = settings;
        this.port = settings.port("trino.port");
    }

    @Override
    public ServiceName name() {
        return ServiceName.TRINO;
    }

    @Override
    public String address() {
        return settings.trinoJdbcUrl() + " (catalogs lake, serving)";
    }

    @Override
    public List<Integer> ports() {
        return List.of(port);
    }

    @Override
    public Launch prepare(Artifacts artifacts) throws IOException {
        Path java = JavaRuntimes.java(24, Integer.MAX_VALUE, settings.optional("trino.java.home"), "trino.java.home");
        Path install = new TrinoInstall(settings, artifacts).ensure();
        Path dir = settings.serviceDir(name());
        Path etc = dir.resolve("etc");
        Files.createDirectories(etc.resolve("catalog"));
        // Trino reads node.* from config.properties when started without its launcher; node.data-dir is the
        // launcher's own (it becomes the working directory) and fails the start if it appears here.
        Files.writeString(etc.resolve("config.properties"), lines(
                "node.environment=tessera_local",
                "node.id=tessera-local-1",
                "coordinator=true",
                "node-scheduler.include-coordinator=true",
                "http-server.http.port=" + port,
                "http-server.log.enabled=false",
                "node.bind-ip=" + StackSettings.BIND_HOST,
                "node.internal-address=" + StackSettings.BIND_HOST,
                "discovery.uri=http://" + StackSettings.BIND_HOST + ":" + port,
                "catalog.config-dir=" + etc.resolve("catalog"),
                "plugin.dir=" + install.resolve("plugin"),
                "query.max-memory=1GB",
                "query.max-memory-per-node=1GB"));
        Files.writeString(etc.resolve("log.properties"), lines("io.trino=INFO"));
        Files.writeString(etc.resolve("catalog/lake.properties"), lines(
                "connector.name=iceberg",
                "iceberg.catalog.type=rest",
                "iceberg.rest-catalog.uri=" + settings.icebergCatalogUri(),
                "fs.native-local.enabled=true",
                "local.location=/"));
        Files.writeString(etc.resolve("catalog/serving.properties"), lines(
                "connector.name=cassandra",
                "cassandra.contact-points=" + StackSettings.BIND_HOST,
                "cassandra.native-protocol-port=" + settings.port("cassandra.port"),
                "cassandra.load-policy.use-dc-aware=true",
                "cassandra.load-policy.dc-aware.local-dc=datacenter1",
                // the default (1 min) makes a query hang that long while Cassandra is down
                "cassandra.no-host-available-retry-timeout=10s"));
        // built-in sample tables, scanned by the readiness probe (isReady)
        Files.writeString(etc.resolve("catalog/tpch.properties"), lines("connector.name=tpch"));
        Path workingDirectory = Files.createDirectories(dir.resolve("data"));
        List<String> options = new ArrayList<>(List.of("-server", "-Xmx" + settings.value("trino.heap")));
        options.addAll(JVM_OPTIONS);
        return new Launch(JvmCommand.java(java)
                .options(options)
                .systemProperty("config", etc.resolve("config.properties"))
                .systemProperty("log.levels-file", etc.resolve("log.properties"))
                .classpath(List.of(install.resolve("lib").resolve("*")))
                .main("io.trino.server.TrinoServer")
                .build(), workingDirectory);
    }

    /**
     * Not starting any more, and a query can scan a catalog's table: before that the first query fails
     * with "No nodes available" (docs/stack.md, "Trino readiness"). {@code SELECT 1} is not enough: it runs
     * on the system connector, schedulable as soon as the node is up, while the catalogs join the node map
     * at its next refresh, up to 5 s later.
     */
    @Override
    public boolean isReady() {
        String info = Probes.httpGet(baseUrl() + "/v1/info");
        if (info == null || !info.replace(" ", "").contains("\"starting\":false")) {
            return false;
        }
        try {
            return runsQuery("SELECT count(*) FROM tpch.tiny.region");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean runsQuery(String sql) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/statement"))
                .header("X-Trino-User", "tessera").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build();
        for (int hops = 0; hops < 100; hops++) {
            HttpResponse<String> response = Probes.http().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return false;
            }
            JsonNode body = JSON.readTree(response.body());
            if (body.has("error")) {
                return false;
            }
            if (!body.hasNonNull("nextUri")) {
                return "FINISHED".equals(body.path("stats").path("state").asText());
            }
            request = HttpRequest.newBuilder(URI.create(body.get("nextUri").asText()))
                    .header("X-Trino-User", "tessera").timeout(Duration.ofSeconds(10)).GET().build();
        }
        return false;
    }

    private String baseUrl() {
        return "http://" + StackSettings.BIND_HOST + ":" + port;
    }

    private static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }
}
