package io.tessera.jobs.cli;

import java.util.List;

import io.tessera.serving.store.CassandraOptions;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.stack.StackSettings;

/** The serving tables' settings of {@code platform.properties}, read in one place for every command. */
final class ServingSettings {

    private ServingSettings() {
    }

    static CassandraTarget target(StackSettings settings) {
        String consistency = settings.value("cassandra.consistency");
        return CassandraTarget.parse(settings.cassandraAddress())
                .withReplication(settings.count("cassandra.replication.factor"), consistency, consistency)
                .withRetainedViews(settings.count("serving.retained.views"));
    }

    /** The same settings as the options of the JVMs the launcher starts (batch jobs, the query API). */
    static List<String> jobArgs(StackSettings settings) {
        return CassandraOptions.args(target(settings));
    }
}
