package io.tessera.stack;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every setting of {@code platform.properties} and {@code --set}: its key, its default (the one place
 * defaults live), what kind of value it takes and what it means. {@link StackSettings} refuses any other
 * key and any value that is not of its kind when it loads, so a typo fails the command at once instead of
 * being ignored; {@code platform config show} lists them all.
 */
public enum Setting {
    KAFKA_PORT("kafka.port", "9092", Kind.PORT, "Kafka broker (KRaft, single node)"),
    KAFKA_CONTROLLER_PORT("kafka.controller.port", "9093", Kind.PORT, "Kafka's KRaft controller"),
    CASSANDRA_PORT("cassandra.port", "9042", Kind.PORT, "Cassandra's native protocol (CQL)"),
    CASSANDRA_STORAGE_PORT("cassandra.storage.port", "7000", Kind.PORT, "Cassandra's internode port"),
    CASSANDRA_JMX_PORT("cassandra.jmx.port", "7199", Kind.PORT, "Cassandra's JMX (nodetool)"),
    CASSANDRA_HEAP("cassandra.heap", "1g", Kind.HEAP, "Cassandra's heap"),
    CASSANDRA_REPLICATION_FACTOR("cassandra.replication.factor", "1", Kind.COUNT, "replication of each pipeline's keyspace (3 on a cluster)"),
    CASSANDRA_CONSISTENCY("cassandra.consistency", "LOCAL_QUORUM", Kind.CONSISTENCY, "of serving reads and writes"),
    SERVING_RETAINED_VIEWS("serving.retained.views", "3", Kind.COUNT, "published batch view versions kept in serving, for rollback"),
    SERVING_HOST("serving.host", StackSettings.BIND_HOST, Kind.TEXT, "where the query API listens (any other address needs API keys)"),
    SERVING_PORT("serving.port", "8090", Kind.PORT, "the query API's port"),
    SERVING_MAX_BATCH("serving.max.batch", "100", Kind.COUNT, "keys in one batchGet"),
    SERVING_SPECS("serving.specs", null, Kind.TEXT, "comma-separated spec files the query API serves when `stack up` starts it"),
    SERVING_LAYER_HEAP("serving-layer.heap", "1g", Kind.HEAP, "the query API's heap"),
    SERVING_LAYER_JVM_OPTIONS("serving-layer.jvm.options", null, Kind.TEXT, "further options of the query API's JVM, space-separated"),
    SPEED_REST_PORT("speed.rest.port", "8081", Kind.PORT, "Flink's REST API and web UI of `speed start` (one speed layer per port)"),
    SPEED_LAYER_HEAP("speed-layer.heap", "3600m", Kind.HEAP, "the speed layer's heap (Flink's MiniCluster), all of it from the start"),
    SPEED_LAYER_JVM_OPTIONS("speed-layer.jvm.options", JvmCommand.STREAMING_COLLECTOR + " " + JvmCommand.STREAMING_GENERATIONS, Kind.TEXT,
            "further options of the speed layer's JVM and the session cluster's TaskManager, space-separated: its collector and the shares of its generations (docs/stack.md, \"Flink\")"),
    SPEED_CHECKPOINT_SECONDS("speed.checkpoint.seconds", "5", Kind.COUNT,
            "between two checkpoints of `speed start`: how often events reach the lake (scores reach serving per event); each writes every key's state"),
    SPEED_BUCKET_EPOCHS("speed.bucket.epochs", "60", Kind.COUNT,
            "checkpoint epochs per bucket of a new generation of `speed start`: a key's realtime rows of a bucket that is over merge into one; a view's cut rounds down to a bucket's end"),
    BATCH_LAYER_HEAP("batch-layer.heap", "4g", Kind.HEAP, "the heap of batch jobs (Spark's driver in local mode)"),
    BATCH_LAYER_JVM_OPTIONS("batch-layer.jvm.options", null, Kind.TEXT, "further options of the batch jobs' JVM, space-separated"),
    ICEBERG_PORT("iceberg.port", "8181", Kind.PORT, "Iceberg REST catalog"),
    ICEBERG_WAREHOUSE("iceberg.warehouse", null, Kind.TEXT, "where the lake's files live (default: <home>/lake)"),
    TRINO_PORT("trino.port", "8080", Kind.PORT, "Trino's HTTP port"),
    TRINO_HEAP("trino.heap", "2g", Kind.HEAP, "Trino's heap"),
    FLINK_PORT("flink.port", "8082", Kind.PORT, "the Flink session cluster's REST API and web UI (`stack up flink`)"),
    FLINK_RPC_PORT("flink.rpc.port", "6123", Kind.PORT, "the Flink JobManager's RPC port"),
    FLINK_TASKMANAGER_SLOTS("flink.taskmanager.slots", "4", Kind.COUNT, "task slots of the session cluster's TaskManager"),
    FLINK_TASKMANAGER_HEAP("flink.taskmanager.heap", "1g", Kind.HEAP, "the session cluster TaskManager's heap"),
    JAVA17_HOME("java17.home", null, Kind.TEXT, "JDK 17 for Kafka, Cassandra, the catalog, Spark and Flink (default: found)"),
    TRINO_JAVA_HOME("trino.java.home", null, Kind.TEXT, "JDK 24+ for Trino (default: found)"),
    CACHE_DIR("cache.dir", null, Kind.TEXT, "unpacked server installs shared by every home (default: ~/.cache/tessera)"),
    SCHEDULER_SPECS("scheduler.specs", null, Kind.TEXT, "comma-separated spec files whose schedule.retrain and schedule.maintain `scheduler run` triggers"),
    SCHEDULER_LEASE_SECONDS("scheduler.lease.seconds", "120", Kind.COUNT,
            "how long a job's lease outlives its last renewal (renewed every third of it): a dead scheduler's run blocks the next this long"),
    SCHEDULER_MAX_ATTEMPTS("scheduler.max.attempts", "3", Kind.COUNT, "attempts of a scheduled job before it is recorded failed"),
    SCHEDULER_BACKOFF_SECONDS("scheduler.backoff.seconds", "60", Kind.COUNT, "wait after a failed attempt, doubled after each further one"),
    SCHEDULER_BACKOFF_MAX_SECONDS("scheduler.backoff.max.seconds", "900", Kind.COUNT, "the longest wait between attempts"),
    START_TIMEOUT_SECONDS("start.timeout.seconds", "180", Kind.COUNT, "how long a start waits for readiness");

    private static final Map<String, Setting> BY_KEY = Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Setting::key, Function.identity()));

    private final String key;
    private final String defaultValue;
    private final Kind kind;
    private final String meaning;

    Setting(String key, String defaultValue, Kind kind, String meaning) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.kind = kind;
        this.meaning = meaning;
    }

    public String key() {
        return key;
    }

    /** The built-in value, empty for a setting that is found or derived when not set. */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public String meaning() {
        return meaning;
    }

    public static Optional<Setting> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** Null when {@code value} is of this setting's kind, else what is wrong with it. */
    String problem(String value) {
        return kind.problem(value);
    }

    /** What values a setting takes; each checks a value's text once, at load. */
    enum Kind {
        PORT {
            @Override
            String problem(String value) {
                return wholeNumber(value, 1, 65535) ? null : "is not a port number (1-65535)";
            }
        },
        COUNT {
            @Override
            String problem(String value) {
                return wholeNumber(value, 1, Integer.MAX_VALUE) ? null : "is not a whole number of at least 1";
            }
        },
        HEAP {
            @Override
            String problem(String value) {
                return HEAP_SIZE.matcher(value).matches() ? null : "is not a heap size such as 512m or 2g";
            }
        },
        CONSISTENCY {
            @Override
            String problem(String value) {
                return CONSISTENCY_LEVELS.matcher(value).matches() ? null : "is not a Cassandra consistency level (ONE, QUORUM, LOCAL_QUORUM, ALL...)";
            }
        },
        TEXT {
            @Override
            String problem(String value) {
                return null;
            }
        };

        private static final Pattern HEAP_SIZE = Pattern.compile("[1-9][0-9]*[kKmMgG]");
        private static final Pattern CONSISTENCY_LEVELS = Pattern.compile("ANY|ONE|TWO|THREE|QUORUM|ALL|LOCAL_QUORUM|EACH_QUORUM|LOCAL_ONE");

        abstract String problem(String value);

        private static boolean wholeNumber(String value, int min, int max) {
            try {
                int number = Integer.parseInt(value);
                return number >= min && number <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }
}
