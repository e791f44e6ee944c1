package io.tessera.stack.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.tessera.stack.Artifacts;
import io.tessera.stack.JavaRuntimes;
import io.tessera.stack.JvmCommand;
import io.tessera.stack.Launch;
import io.tessera.stack.LocalService;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;

/**
 * A single Cassandra 5 node in its own Java 17 JVM: its server classpath (logback, unshaded Guava and
 * Netty) collides with Spark and Flink, so no application JVM ever loads it (docs/stack.md, "Classpaths").
 */
public final class CassandraNode implements LocalService {

    /** Cassandra's own JVM flags for Java 17 (conf/jvm17-server.options); without them it exits with code 3. */
    private static final List<String> JAVA17_FLAGS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports=java.sql/java.sql=ALL-UNNAMED",
            "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED");

    private final StackSettings settings;
    private final int port;
    private final int storagePort;
    private final int jmxPort;

    public CassandraNode(StackSettings settings) {
        this.settings = settings;
        this.port = settings.port("cassandra.port");
        this.storagePort = settings.port("cassandra.storage.port");
        this.jmxPort = settings.port("cassandra.jmx.port");
    }

    @Override
    public ServiceName name() {
        return ServiceName.CASSANDRA;
    }

    @Override
    public String address() {
        return StackSettings.BIND_HOST + ":" + port + " (datacenter1)";
    }

    @Override
    public List<Integer> ports() {
        return List.of(port, storagePort, jmxPort);
    }

    @Override
    public Launch prepare(Artifacts artifacts) throws IOException {
        Path dir = settings.serviceDir(name());
        Files.createDirectories(dir.resolve("data"));
        Path yaml = dir.resolve("cassandra.yaml");
        Files.writeString(yaml, cassandraYaml(dir));
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, LOGBACK);
        String heap = settings.value("cassandra.heap");
        List<String> options = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC", "-Xss512k", "-XX:+ExitOnOutOfMemoryError"));
        options.addAll(JAVA17_FLAGS);
        return new Launch(JvmCommand.java(JavaRuntimes.java(17, 17, settings.optional("java17.home"), "java17.home"))
                .options(options)
                .systemProperty("cassandra.config", yaml.toUri())
                .systemProperty("cassandra-foreground", "true")
                .systemProperty("cassandra.storagedir", dir.resolve("data"))
                .systemProperty("cassandra.logdir", settings.logDir())
                .systemProperty("cassandra.jmx.local.port", jmxPort)
                .systemProperty("cassandra.skip_wait_for_gossip_to_settle", "0")
                .systemProperty("cassandra.ring_delay_ms", "100")
                .systemProperty("logback.configurationFile", logback)
                .classpath(artifacts.classpath("cassandra"))
                .main("org.apache.cassandra.service.CassandraDaemon")
                .build(), dir);
    }

    @Override
    public boolean isReady() {
        return Probes.cqlAnswers(port);
    }

    private String cassandraYaml(Path dir) {
        String host = StackSettings.BIND_HOST;
        return String.join("\n",
                "# written by platform stack up from " + StackSettings.FILE_NAME + "; edits here are overwritten",
                "cluster_name: tessera-local",
                "num_tokens: 1",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "endpoint_snitch: SimpleSnitch",
                "commitlog_sync: periodic",
                "commitlog_sync_period: 10000ms",
                "data_file_directories: [" + dir.resolve("data/data") + "]",
                "commitlog_directory: " + dir.resolve("data/commitlog"),
                "saved_caches_directory: " + dir.resolve("data/saved_caches"),
                "hints_directory: " + dir.resolve("data/hints"),
                "cdc_raw_directory: " + dir.resolve("data/cdc_raw"),
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                "      - seeds: \"" + host + ":" + storagePort + "\"",
                "listen_address: " + host,
                "rpc_address: " + host,
                "storage_port: " + storagePort,
                "native_transport_port: " + port,
                "start_native_transport: true",
                // tests drop keyspaces by the hundred: snapshots on drop would only fill the disk
                "auto_snapshot: false",
                "");
    }

    private static final String LOGBACK = """
            <configuration>
              <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="STDOUT"/></root>
            </configuration>
            """;
}
