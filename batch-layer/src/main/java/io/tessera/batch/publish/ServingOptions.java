package io.tessera.batch.publish;

import io.tessera.serving.store.CassandraOptions;
import io.tessera.serving.store.ServingStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a batch job publishes (a picocli mixin): the serving tables in Cassandra, and the control stream in Kafka. */
public final class ServingOptions {

    @Mixin
    CassandraOptions cassandra;

    @Option(names = "--kafka", required = true, description = "bootstrap servers")
    String kafka;

    /** The serving tables of {@code pipeline}, whose spec names the view {@code viewName}. */
    public ServingStore serving(String pipeline, String viewName) {
        return ServingStore.open(cassandra.target(), pipeline, viewName);
    }

    public String kafka() {
        return kafka;
    }

    public ControlChannel control(String pipeline) {
        return new ControlChannel(kafka, pipeline);
    }
}
