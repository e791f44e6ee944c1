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
                .withReplication(positive(settings, "cassandra.replication.factor"), consistency, consistency)
                .withRetainedViews(positive(settings, "serving.retained.views"));
    }

    /** The same settings as the options of the JVMs the launcher starts (batch jobs, the query API). */
    static List<String> jobArgs(StackSettings settings) {
        return CassandraOptions.args(target(settings));
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
