package io.tessera.speed.job;

import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.featurestore.contract.EpochBuckets;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.serving.store.CassandraOptions;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.ServingStore;
import io.tessera.speed.FlinkEnvironments;
import io.tessera.speed.lake.LakeCatalogs;
import io.tessera.speed.lake.PipelineLake;
import io.tessera.speed.sink.DeadLetterSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code speed-job run}: the streaming job of one pipeline, in a local MiniCluster (the default), until it
 * is stopped (or, with {@code --bounded}, until it has read what the topic held at start); or, with
 * {@code --flink-master}, submitted with its jar to a Flink session cluster, which then runs it: this
 * client exits once the cluster has accepted the job, as {@code flink run -d} does. Before the
 * first event it settles its generation: a restore keeps the generation of its checkpoint; a start
 * without state begins a new one and deletes the previous generation's uncommitted realtime rows
 * ({@link SnapshotLineage}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the speed layer of a pipeline.")
public final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
    Path spec;

    @Option(names = "--catalog-uri", required = true, description = "The lake's Iceberg REST catalog.")
    String catalogUri;

    @Option(names = "--kafka", required = true, description = "Kafka bootstrap servers.")
    String kafka;

    @Mixin
    CassandraOptions cassandra;

    @Option(names = "--state-dir", required = true, paramLabel = "DIR", description = "Checkpoints, savepoints and the generation.")
    Path stateDir;

    @Option(names = "--parallelism", defaultValue = "1", description = "Tasks per operator (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--checkpoint-interval", required = true, description = "ISO-8601 duration: how often the lake gets a commit"
            + " (platform speed start passes speed.checkpoint.seconds).")
    Duration checkpointInterval;

    @Option(names = "--partitions", defaultValue = "2", description = "Partitions of the topic if it is created here (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--rest-port", defaultValue = "8081", description = "Flink's web UI and REST API on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int restPort;

    @Option(names = "--fresh", description = "Start without state (a new generation) even if a checkpoint exists.")
    boolean fresh;

    @Option(names = "--bounded", description = "Read what the topic holds now, commit it and stop.")
    boolean bounded;

    @Option(names = "--restart-attempts", defaultValue = "2147483647", description = "Restarts after failures, with back-off up to 30 s"
            + " (default: unlimited).")
    int restartAttempts;

    @Option(names = "--flink-master", paramLabel = "HOST:PORT", description = "A Flink session cluster's REST endpoint: submit the job"
            + " there (with --job-jar) instead of running it here.")
    String flinkMaster;

    @Option(names = "--job-jar", paramLabel = "FILE", description = "This module's self-contained job jar, uploaded with the job to"
            + " --flink-master.")
    Path jobJar;

    @Option(names = "--job-id-file", paramLabel = "FILE", description = "Where to write the id of the job submitted to --flink-master.")
    Path jobIdFile;

    @Option(names = "--bucket-epochs", defaultValue = "60", description = "Checkpoint epochs per bucket: a key's realtime rows of a"
            + " bucket that is over are merged into one, and a batch view's cut rounds down to a bucket's end. Taken when a generation"
            + " begins; a restore keeps its generation's (default: ${DEFAULT-VALUE}; platform speed start passes speed.bucket.epochs).")
    long bucketEpochs;

    @Option(names = "--cache-size", defaultValue = "100000", description = "Keys whose batch partials each task keeps (default: ${DEFAULT-VALUE}).")
    int cacheSize;

    @Override
    public Integer call() throws Exception {
        JobClient client = submit();
        if (flinkMaster == null) {
            client.getJobExecutionResult().get();
            return 0;
        }
        String jobId = client.getJobID().toHexString();
        if (jobIdFile != null) {
            Files.writeString(jobIdFile, jobId + System.lineSeparator());
        }
        System.out.println("submitted job " + jobId + " to the Flink session cluster at " + flinkMaster);
        return 0;
    }

    /**
     * Settles the generation, builds the job and submits it to its MiniCluster, or to the session cluster
     * of {@code --flink-master}; the client follows or stops it.
     */
    public JobClient submit() throws Exception {
        Optional<FlinkEnvironments.SessionCluster> cluster = sessionCluster();
        PipelineSpec parsed = PipelineSpecs.load(spec);
        SpecText text = new SpecText(Files.readString(spec), spec.toString());
        CassandraTarget target = cassandra.target();
        createTopics(parsed);

        CatalogLoader catalog = LakeCatalogs.rest(catalogUri);
        PipelineLake lake = new PipelineLake(catalog.loadCatalog(), parsed);
        lake.ensure();

        SpeedState state = new SpeedState(stateDir);
        Optional<Path> restorePoint = fresh ? Optional.empty() : state.latestRestorePoint();
        OptionalLong recorded = state.generation();
        long generation;
        EpochBuckets buckets;
        if (restorePoint.isPresent() && recorded.isPresent()) {
            generation = recorded.getAsLong();
            buckets = state.buckets();
            if (buckets.epochs() != bucketEpochs) {
                LOG.warn("generation {} keeps its {} epochs per bucket, not --bucket-epochs {}: a new size takes effect with a new generation"
                        + " (--fresh)", generation, buckets.epochs(), bucketEpochs);
            }
            LOG.info("restoring generation {} from {}", generation, restorePoint.get());
        } else {
            restorePoint = Optional.empty();
            buckets = new EpochBuckets(bucketEpochs);
            generation = beginGeneration(lake, state, parsed, target, buckets);
        }

        FlinkEnvironments.Streaming streaming = new FlinkEnvironments.Streaming(parallelism, checkpointInterval, state.checkpoints(),
                restorePoint, restPort, bounded ? 0 : restartAttempts);
        StreamExecutionEnvironment env = cluster.isPresent() ? FlinkEnvironments.remote(cluster.get(), streaming)
                : FlinkEnvironments.streaming(streaming);
        SpeedTopology.build(env, new SpeedTopology.Settings(text, kafka, target, generation, buckets, bounded, cacheSize, 256,
                Duration.ofSeconds(30)), lake, catalog);
        String webUi = cluster.map(c -> "http://" + c.host() + ":" + c.port()).orElse("http://127.0.0.1:" + restPort);
        System.out.println("speed layer of " + parsed.name() + ": generation " + generation + (restorePoint.map(p -> ", restored from " + p)
                .orElse(", started without state")) + "; Flink web UI " + webUi);
        return env.executeAsync("tessera-speed-" + parsed.name());
    }

    /** The session cluster of {@code --flink-master}, checked before anything is created. */
    private Optional<FlinkEnvironments.SessionCluster> sessionCluster() {
        if (flinkMaster == null) {
            return Optional.empty();
        }
        int colon = flinkMaster.lastIndexOf(':');
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(flinkMaster.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            // reported below
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--flink-master must be HOST:PORT (the session cluster's REST endpoint), not " + flinkMaster);
        }
        if (jobJar == null || !Files.isRegularFile(jobJar)) {
            throw new IllegalArgumentException("--flink-master needs --job-jar, the speed layer's job jar" + (jobJar == null ? "" : ": no file "
                    + jobJar));
        }
        return Optional.of(new FlinkEnvironments.SessionCluster(flinkMaster.substring(0, colon), port, jobJar));
    }

    private long beginGeneration(PipelineLake lake, SpeedState state, PipelineSpec parsed, CassandraTarget target, EpochBuckets buckets) {
        PipelineLake.NewGeneration begun = lake.beginGeneration(buckets);
        state.beginGeneration(begun.generation(), buckets);
        long previous = begun.generation() - 1;
        if (previous >= 1) {
            // the previous generation's rows above its last commit hold events that this one reads again
            long committed = begun.previousLast().map(SnapshotLineage::checkpoint).orElse(0L);
            if (committed != ServingCut.COMPLETE) {
                try (ServingStore store = ServingStore.open(target, parsed.name(), parsed.serving().view())) {
                    store.migrate();
                    long keys = store.realtimeWriter().discardAbove(previous, committed, key -> true);
                    LOG.info("generation {} discarded the rows of generation {} above checkpoint {} ({} keys examined)", begun.generation(),
                            previous, committed, keys);
                }
            }
        }
        LOG.info("started generation {} without state", begun.generation());
        return begun.generation();
    }

    private void createTopics(PipelineSpec parsed) throws InterruptedException {
        String topic = parsed.source().topic();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            Set<String> existing = admin.listTopics().names().get();
            for (NewTopic wanted : List.of(new NewTopic(topic, partitions, (short) 1), new NewTopic(DeadLetterSchema.topic(topic), 1, (short) 1),
                    new NewTopic(ControlMessage.topic(parsed.name()), 1, (short) 1))) {
                if (!existing.contains(wanted.name())) {
                    try {
                        admin.createTopics(List.of(wanted)).all().get();
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw new IllegalStateException("cannot create topic " + wanted.name() + " on " + kafka + ": " + e.getCause().getMessage(), e);
                        }
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka at " + kafka + " does not answer: " + e.getCause().getMessage(), e);
        }
    }
}
