package io.tessera.batch.publish;

import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.ServingStore;
import picocli.CommandLine.Option;

/** Where a batch job publishes (a picocli mixin): the serving tables in Cassandra, and the control stream in Kafka. */
public final class ServingOptions {

    @Option(names = "--cassandra", required = true, description = "host:port of a Cassandra contact point")
    String cassandra;

    @Option(names = "--cassandra-replication-factor", defaultValue = "1", description = "Of the pipeline's keyspace (default: ${DEFAULT-VALUE}).")
    int replicationFactor;

    @Option(names = "--cassandra-consistency", defaultValue = "LOCAL_QUORUM", description = "Of reads and writes (default: ${DEFAULT-VALUE}).")
    String consistency;

    @Option(names = "--retained-views", defaultValue = "3", description = "Published view versions kept in serving for rollback (default: ${DEFAULT-VALUE}).")
    int retainedViews;

    @Option(names = "--kafka", required = true, description = "bootstrap servers")
    String kafka;

    public CassandraTarget target() {
        return CassandraTarget.parse(cassandra).withReplication(replicationFactor, consistency, consistency).withRetainedViews(retainedViews);
    }

    /** The serving tables of {@code pipeline}, whose spec names the view {@code viewName}. */
    public ServingStore serving(String pipeline, String viewName) {
        return ServingStore.open(target(), pipeline, viewName);
    }

    public ControlChannel control(String pipeline) {
        return new ControlChannel(kafka, pipeline);
    }
}
