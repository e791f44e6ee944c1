package io.tessera.serving.store;

import java.util.List;

import picocli.CommandLine.Option;

/**
 * The command-line options of every JVM that opens the serving tables (a picocli mixin: the batch
 * layer's jobs, the query API), and the arguments a launcher passes for a {@link CassandraTarget}: the
 * option names live here only.
 */
public final class CassandraOptions {

    @Option(names = "--cassandra", required = true, description = "host:port of a Cassandra contact point")
    String cassandra;

    @Option(names = "--cassandra-replication-factor", defaultValue = "1", description = "Of the pipeline's keyspace (default: ${DEFAULT-VALUE}).")
    int replicationFactor;

    @Option(names = "--cassandra-consistency", defaultValue = "LOCAL_QUORUM", description = "Of reads and writes (default: ${DEFAULT-VALUE}).")
    String consistency;

    @Option(names = "--retained-views", defaultValue = "3", description = "Published view versions kept in serving for rollback (default: ${DEFAULT-VALUE}).")
    int retainedViews;

    public CassandraTarget target() {
        return CassandraTarget.parse(cassandra).withReplication(replicationFactor, consistency, consistency).withRetainedViews(retainedViews);
    }

    /** The options that make {@link #target()} equal {@code target} (its request timeout aside). */
    public static List<String> args(CassandraTarget target) {
        return List.of("--cassandra", target.host() + ":" + target.port(),
                "--cassandra-replication-factor", Integer.toString(target.replicationFactor()),
                "--cassandra-consistency", target.readConsistency(),
                "--retained-views", Integer.toString(target.retainedViews()));
    }
}
