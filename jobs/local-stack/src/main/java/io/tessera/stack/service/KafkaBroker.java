package io.tessera.stack.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import io.tessera.stack.Artifacts;
import io.tessera.stack.JavaRuntimes;
import io.tessera.stack.JvmCommand;
import io.tessera.stack.Launch;
import io.tessera.stack.LocalService;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;

/** A single-node Kafka broker in KRaft mode (broker and controller in one process), loopback only. */
public final class KafkaBroker implements LocalService {

    private final StackSettings settings;
    private final int port;
    private final int controllerPort;

    public KafkaBroker(StackSettings settings) {
        this.settings = settings;
        this.port = settings.port("kafka.port");
        this.controllerPort = settings.port("kafka.controller.port");
    }

    @Override
    public ServiceName name() {
        return ServiceName.KAFKA;
    }

    @Override
    public String address() {
        return StackSettings.BIND_HOST + ":" + port;
    }

    @Override
    public List<Integer> ports() {
        return List.of(port, controllerPort);
    }

    @Override
    public Launch prepare(Artifacts artifacts) throws IOException {
        Path dir = settings.serviceDir(name());
        Path logDirs = dir.resolve("data");
        Files.createDirectories(logDirs);
        Path config = dir.resolve("server.properties");
        Files.writeString(config, serverProperties(logDirs));
        Path java = JavaRuntimes.java(17, 23, settings.optional("java17.home"), "java17.home");
        List<Path> classpath = artifacts.classpath("kafka", "kafka.logging");
        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            format(java, classpath, config, dir);
        }
        return new Launch(JvmCommand.java(java)
                .options(List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC"))
                .systemProperty("org.slf4j.simpleLogger.showDateTime", "true")
                .classpath(classpath)
                .main("kafka.Kafka", config.toString())
                .build(), dir);
    }

    @Override
    public boolean isReady() {
        return Probes.kafkaAnswers(port);
    }

    /** KRaft storage must be formatted once, with a cluster id, before the first start. */
    private void format(Path java, List<Path> classpath, Path config, Path dir) throws IOException {
        List<String> command = JvmCommand.java(java)
                .classpath(classpath)
                .main("kafka.tools.StorageTool", "format", "--standalone", "--ignore-formatted",
                        "--cluster-id", newClusterId(), "--config", config.toString())
                .build();
        Path log = settings.logDir().resolve(name().id() + "-format.log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (process.waitFor() != 0) {
                throw new IOException("formatting Kafka's storage failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while formatting Kafka's storage", e);
        }
    }

    private String serverProperties(Path logDirs) {
        String host = StackSettings.BIND_HOST;
        return String.join("\n",
                "# written by platform stack up from " + StackSettings.FILE_NAME + "; edits here are overwritten",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort,
                "advertised.listeners=PLAINTEXT://" + host + ":" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "controller.quorum.bootstrap.servers=" + host + ":" + controllerPort,
                "log.dirs=" + logDirs,
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "") ;
    }

    /** A new cluster id from {@link UUID#randomUUID()}; see {@link #newClusterId(Supplier)}. */
    static String newClusterId() {
        return newClusterId(UUID::randomUUID);
    }

    /**
     * A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (22 characters). About one
     * encoding in 64 begins with '-', which {@code kafka-storage format --cluster-id <id>} reads as an
     * option, so the first start of a fresh home would fail at random (docs/stack.md, "Kafka 4.x"). Like
     * Kafka's own {@code Uuid.randomUuid()}, draw again while the encoding begins with '-' or the id is one
     * Kafka reserves (the all-zero id, and 1, the metadata topic's id). Kafka's class is not used: this
     * module holds no Kafka client, so every layer can bring the client version it needs.
     */
    static String newClusterId(Supplier<UUID> random) {
        while (true) {
            UUID uuid = random.get();
            boolean reserved = uuid.getMostSignificantBits() == 0 && (uuid.getLeastSignificantBits() == 0
                    || uuid.getLeastSignificantBits() == 1);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(16)
                    .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
            if (!reserved && !id.startsWith("-")) {
                return id;
            }
        }
    }
}
