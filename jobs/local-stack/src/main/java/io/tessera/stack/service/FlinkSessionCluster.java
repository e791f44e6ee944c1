package io.tessera.stack.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.tessera.stack.Artifacts;
import io.tessera.stack.JavaRuntimes;
import io.tessera.stack.JvmCommand;
import io.tessera.stack.Launch;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;

/**
 * A Flink session cluster assembled from Maven artifacts, as {@code bin/start-cluster.sh} runs one from
 * flink-dist (which Maven Central does not serve): a JobManager ({@code StandaloneSessionClusterEntrypoint})
 * and a TaskManager ({@code TaskManagerRunner}), each a JVM of its own with the classpath of flink-dist's
 * {@code lib/} and one generated configuration folder, {@code services/flink/conf/config.yaml}. Everything
 * binds 127.0.0.1; the JobManager's REST port (setting {@code flink.port}) is what {@code --flink-master}
 * names, its RPC port ({@code flink.rpc.port}) is where the TaskManager registers; other ports are picked
 * by the system.
 *
 * <p>The TaskManager's memory is configured component by component, the way flink-dist's scripts pass it
 * after computing it (TaskManagerRunner refuses to start without), and its JVM gets the matching limits.
 */
final class FlinkSessionCluster {

    static final String JOBMANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASKMANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    private static final int FRAMEWORK_HEAP_MB = 128;
    private static final int FRAMEWORK_OFF_HEAP_MB = 128;
    /** Direct memory of the job's own clients (Kafka, the Cassandra driver's Netty). */
    private static final int TASK_OFF_HEAP_MB = 128;
    private static final int NETWORK_MB = 64;
    /** The speed layer keeps its state on the heap (hashmap backend): little managed memory. */
    private static final int MANAGED_MB = 64;
    private static final int METASPACE_MB = 256;
    private static final int OVERHEAD_MB = 192;
    private static final String JOBMANAGER_HEAP = "768m";

    private final StackSettings settings;

    FlinkSessionCluster(StackSettings settings) {
        this.settings = settings;
    }

    int restPort() {
        return settings.port("flink.port");
    }

    int rpcPort() {
        return settings.port("flink.rpc.port");
    }

    String restUrl() {
        return "http://" + StackSettings.BIND_HOST + ":" + restPort();
    }

    /** The JobManager: the dispatcher, the REST API and web UI, the blob server the job's jar is uploaded to. */
    Launch jobManager(Artifacts artifacts) throws IOException {
        return launch(artifacts, ServiceName.FLINK, JOBMANAGER_MAIN, List.of("-Xms" + JOBMANAGER_HEAP, "-Xmx" + JOBMANAGER_HEAP, "-XX:+UseG1GC"));
    }

    /**
     * The TaskManager: the slots the jobs' tasks run in, its heap started whole with the speed layer's JVM
     * options ({@code speed-layer.jvm.options}: the collector and generation shares measured for its state).
     */
    Launch taskManager(Artifacts artifacts) throws IOException {
        int heap = FRAMEWORK_HEAP_MB + taskHeapMb();
        List<String> jvm = new ArrayList<>(List.of("-Xms" + heap + "m", "-Xmx" + heap + "m",
                "-XX:MaxDirectMemorySize=" + (FRAMEWORK_OFF_HEAP_MB + TASK_OFF_HEAP_MB + NETWORK_MB) + "m",
                "-XX:MaxMetaspaceSize=" + METASPACE_MB + "m"));
        jvm.addAll(settings.words("speed-layer.jvm.options"));
        return launch(artifacts, ServiceName.FLINK_TASKMANAGER, TASKMANAGER_MAIN, jvm);
    }

    private Launch launch(Artifacts artifacts, ServiceName service, String main, List<String> jvm) throws IOException {
        Path conf = writeConfiguration();
        Path workingDirectory = Files.createDirectories(settings.serviceDir(service));
        List<String> options = new ArrayList<>(JvmCommand.ENGINE_OPENS);
        options.addAll(jvm);
        return new Launch(JvmCommand.java(JavaRuntimes.java(17, 17, settings.optional("java17.home"), "java17.home"))
                .options(options)
                .systemProperty("org.slf4j.simpleLogger.showDateTime", "true")
                // where the web UI finds the process's log (the stack's log of the service)
                .systemProperty("log.file", settings.logDir().resolve(service.id() + ".log"))
                .classpath(artifacts.classpath("flink", "flink.streaming", "flink.files", "flink.table", "flink.table.runtime", "flink.web",
                        "flink.logging", "flink.logging.api"))
                .main(main, "--configDir", conf.toString())
                .build(), workingDirectory);
    }

    /** Flink 1.20's standard YAML ({@code config.yaml}), flat keys; rewritten before every start. */
    private Path writeConfiguration() throws IOException {
        Path dir = settings.serviceDir(ServiceName.FLINK);
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String host = StackSettings.BIND_HOST;
        int slots = settings.count("flink.taskmanager.slots");
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "# written by platform stack up from " + StackSettings.FILE_NAME + "; edits here are overwritten",
                "jobmanager.rpc.address: " + host,
                "jobmanager.rpc.port: " + rpcPort(),
                "jobmanager.bind-host: " + host,
                "rest.address: " + host,
                "rest.bind-address: " + host,
                "rest.port: " + restPort(),
                "taskmanager.host: " + host,
                "taskmanager.bind-host: " + host,
                "taskmanager.numberOfTaskSlots: " + slots,
                "taskmanager.cpu.cores: " + slots,
                "taskmanager.memory.framework.heap.size: " + FRAMEWORK_HEAP_MB + "m",
                "taskmanager.memory.task.heap.size: " + taskHeapMb() + "m",
                "taskmanager.memory.framework.off-heap.size: " + FRAMEWORK_OFF_HEAP_MB + "m",
                "taskmanager.memory.task.off-heap.size: " + TASK_OFF_HEAP_MB + "m",
                "taskmanager.memory.network.min: " + NETWORK_MB + "m",
                "taskmanager.memory.network.max: " + NETWORK_MB + "m",
                "taskmanager.memory.managed.size: " + MANAGED_MB + "m",
                "taskmanager.memory.jvm-metaspace.size: " + METASPACE_MB + "m",
                "taskmanager.memory.jvm-overhead.min: " + OVERHEAD_MB + "m",
                "taskmanager.memory.jvm-overhead.max: " + OVERHEAD_MB + "m",
                "io.tmp.dirs: " + tmp,
                "blob.storage.directory: " + tmp,
                "web.tmpdir: " + tmp,
                // a job's classes come from its jar (child first), Flink's own from the cluster, as on any session cluster
                "classloader.resolve-order: child-first",
                ""));
        return conf;
    }

    /** {@code flink.taskmanager.heap} (e.g. 1g, 1536m) in megabytes. */
    private int taskHeapMb() {
        String value = settings.value("flink.taskmanager.heap").trim().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("g")) {
                return Integer.parseInt(value.substring(0, value.length() - 1)) * 1024;
            }
            if (value.endsWith("m")) {
                return Integer.parseInt(value.substring(0, value.length() - 1));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("setting flink.taskmanager.heap=" + value + " is not a size such as 1g or 1536m");
    }
}
