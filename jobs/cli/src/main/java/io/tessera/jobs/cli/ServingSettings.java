package io.tessera.jobs.cli;

import java.util.List;

import io.tessera.serving.store.CassandraTarget;
import io.tessera.stack.StackSettings;

/** The serving tables' settings of {@code platform.properties}, read in one place for every command. */
final class ServingSettings {

    private ServingSettings() {
    }

    static CassandraTarget target(StackSettings settings) {
        String consistency = settings.value("cassandra.consistency");
        return CassandraTarget.parse(settings.cassandraAddress())
                .withReplication(positive(settings, "cassandra.replication.factor"), consistency, consistency)
                .withRetainedViews(positive(settings, "serving.retained.views"));
    }

    /** The same settings as the batch jobs' options. */
    static List<String> jobArgs(StackSettings settings) {
        CassandraTarget target = target(settings);
        return List.of("--cassandra", target.host() + ":" + target.port(),
                "--cassandra-replication-factor", Integer.toString(target.replicationFactor()),
                "--cassandra-consistency", target.readConsistency(),
                "--retained-views", Integer.toString(target.retainedViews()));
    }

    private static int positive(StackSettings settings, String key) {
        String value = settings.value(key);
        try {
            int number = Integer.parseInt(value);
            if (number < 1) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + "=" + value + " is not a whole number of at least 1");
        }
    }
}
