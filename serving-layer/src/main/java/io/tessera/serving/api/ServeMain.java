package io.tessera.serving.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.serving.schema.SchemaMismatchException;
import io.tessera.serving.store.CassandraOptions;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.ServingStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Entry point of the query API's JVM; {@code platform serve} starts it with this module's classpath. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "The query API over the merged batch and realtime views.")
public final class ServeMain implements Callable<Integer> {

    @Option(names = "--spec", required = true, description = "A pipeline spec to serve (repeatable).")
    List<Path> specs;

    @Mixin
    CassandraOptions cassandra;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}); any other needs --api-keys.")
    String host;

    @Option(names = "--port", defaultValue = "8090", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-batch", defaultValue = "100", description = "Keys in one batchGet (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--request-timeout-ms", defaultValue = "2000", description = "Cassandra request timeout; past it a request is a 503 (default: ${DEFAULT-VALUE}).")
    long requestTimeoutMillis;

    @Option(names = "--io-threads", defaultValue = "1", description = "The Cassandra driver's I/O threads, which also merge and encode the"
            + " answers by key (default: ${DEFAULT-VALUE}; 0 for the driver's default, twice the cores).")
    int ioThreads;

    @Option(names = "--batch-cache-mb", defaultValue = "256", description = "Decoded batch rows kept per pipeline, MB of their stored size;"
            + " 0 reads every key's row (default: ${DEFAULT-VALUE}).")
    long batchCacheMegabytes;

    @Option(names = "--api-keys", description = "The keys file (hashed keys and scopes); required to bind beyond loopback.")
    Path apiKeys;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new ServeMain());
        // an operator's mistake (tables not migrated, a spec that does not load) is one line in the log, not a stack trace
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof SchemaMismatchException || e instanceof IllegalArgumentException) {
                line.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        CassandraTarget target = cassandra.target().withRequestTimeout(Duration.ofMillis(requestTimeoutMillis)).withIoThreads(ioThreads);
        List<PipelineService> pipelines = new ArrayList<>();
        for (Path file : specs) {
            PipelineSpec spec = PipelineSpecs.load(file);
            pipelines.add(new PipelineService(spec, ServingStore.open(target, spec.name(), spec.serving().view()), batchCacheMegabytes << 20));
        }
        ApiKeys keys = apiKeys != null && Files.exists(apiKeys) ? ApiKeys.load(apiKeys) : ApiKeys.none();
        QueryServer server = QueryServer.start(new QueryServer.Settings(host, port, maxBatch, 64 * 1024), pipelines, keys);
        System.out.printf("query API on http://%s:%d (pipelines %s; OpenAPI at /openapi.json, metrics at /metrics)%s%n", host, server.port(),
                pipelines.stream().map(PipelineService::name).toList(), keys.enabled() ? "; API keys required" : "");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
