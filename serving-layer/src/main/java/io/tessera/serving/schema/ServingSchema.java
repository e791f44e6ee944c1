package io.tessera.serving.schema;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.tessera.serving.store.CassandraTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving tables of a pipeline (its keyspace), as versioned migrations: {@code platform serving
 * migrate} applies them, and every layer applies them (writers) or checks them (readers) when it starts.
 *
 * <p>The tables are designed for the read path, where Cassandra's cost is per row (docs/stack.md,
 * "Cassandra throughput"): a key's batch view is one row of one partition, its realtime view one small
 * partition (one row per speed-layer epoch in which the key had events since the last publication, its
 * latest score in static columns), and the serving metadata one row.
 * <ul>
 *   <li>{@code views}: per view name, the version serving and its publication (the JSON of its
 *       {@code view_published} control message), with a few columns for SQL;</li>
 *   <li>{@code view_versions}: every version written, its state ({@code written}, {@code published},
 *       {@code purged}), bucket count and rows written: what retention and rollback work from;</li>
 *   <li>{@code batch_view}: a version's rows, partitioned by (version, bucket of the key) so that retiring
 *       a version is one partition delete per bucket, not one per key;</li>
 *   <li>{@code realtime_view}: per key, the speed layer's partials not in a batch view yet, by
 *       (generation, epoch), and the latest score with its provenance;</li>
 *   <li>{@code challenger} (version 2): per view name, the newest change of the pipeline's challenger
 *       (the JSON of its {@code challenger_set} or {@code challenger_cleared} control message) and its
 *       revision: what a layer that starts reads, as it reads the champion from {@code views}.</li>
 * </ul>
 */
public final class ServingSchema {

    public static final List<Migration> MIGRATIONS = List.of(new Migration(1, "views, view versions, batch and realtime views", List.of(
            "CREATE TABLE IF NOT EXISTS {ks}.views (name text PRIMARY KEY, view_version bigint, buckets int, snapshot_id bigint,"
                    + " cutoff timestamp, champion_version bigint, published_at timestamp, publication text)",
            "CREATE TABLE IF NOT EXISTS {ks}.view_versions (name text, view_version bigint, state text, buckets int, rows_written bigint,"
                    + " publication text, changed_at timestamp, PRIMARY KEY ((name), view_version))"
                    + " WITH CLUSTERING ORDER BY (view_version DESC)",
            "CREATE TABLE IF NOT EXISTS {ks}.batch_view (view_version bigint, bucket int, entity text, partials blob, events bigint,"
                    + " newest_event_time timestamp, newest_event_vector list<double>, score double,"
                    + " PRIMARY KEY ((view_version, bucket), entity))",
            "CREATE TABLE IF NOT EXISTS {ks}.realtime_view (entity text, generation bigint, epoch bigint, partials blob,"
                    + " written_at timestamp, score double static, score_model text static, score_model_version bigint static,"
                    + " score_role text static, score_view_version bigint static, score_snapshot_id bigint static,"
                    + " score_snapshot_sequence bigint static, score_snapshot_committed_at timestamp static,"
                    + " score_event_time timestamp static, score_processed_at timestamp static,"
                    + " PRIMARY KEY ((entity), generation, epoch))")),
            new Migration(2, "the challenger beside the champion", List.of(
                    "CREATE TABLE IF NOT EXISTS {ks}.challenger (name text PRIMARY KEY, revision bigint, change text, changed_at timestamp)")));

    private ServingSchema() {
    }

    public static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /**
     * Creates the keyspace if missing (NetworkTopologyStrategy, the target's replication factor in its
     * local datacenter) and applies every migration not yet recorded. Safe to run again and from several
     * processes.
     *
     * @return the migrations applied now
     * @throws SchemaMismatchException if the keyspace is at a version this build does not know, or a
     *     recorded migration differs from this build's
     */
    public static List<Migration> migrate(CqlSession session, CassandraTarget target, String keyspace) {
        session.execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = {'class': 'NetworkTopologyStrategy', '"
                + target.localDatacenter() + "': " + target.replicationFactor() + "}");
        dropPreMigrationTables(session, keyspace);
        session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".schema_migrations (version int PRIMARY KEY, description text,"
                + " checksum text, applied_at timestamp)");
        Map<Integer, String> applied = applied(session, keyspace);
        requireKnown(applied, keyspace);
        List<Migration> now = new ArrayList<>();
        for (Migration migration : MIGRATIONS) {
            if (applied.containsKey(migration.version())) {
                continue;
            }
            migration.statementsFor(keyspace).forEach(session::execute);
            session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".schema_migrations (version, description, checksum,"
                    + " applied_at) VALUES (?, ?, ?, ?) IF NOT EXISTS", migration.version(), migration.description(), migration.checksum(),
                    Instant.now()));
            now.add(migration);
        }
        return now;
    }

    /**
     * Checks that the keyspace is at this build's version, changing nothing: what a reader does.
     *
     * @throws SchemaMismatchException naming what to do
     */
    public static void check(CqlSession session, String keyspace) {
        boolean exists = session.execute(SimpleStatement.newInstance("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?"
                + " AND table_name = 'schema_migrations'", keyspace)).one() != null;
        if (!exists) {
            throw new SchemaMismatchException("keyspace " + keyspace + " has no serving tables: run `platform serving migrate --spec <spec>`"
                    + " (a retrain also creates them)");
        }
        Map<Integer, String> applied = applied(session, keyspace);
        requireKnown(applied, keyspace);
        if (!applied.containsKey(latestVersion())) {
            throw new SchemaMismatchException("keyspace " + keyspace + " is at serving schema version "
                    + applied.keySet().stream().max(Integer::compare).orElse(0) + ", this build reads " + latestVersion()
                    + ": run `platform serving migrate --spec <spec>`");
        }
    }

    private static Map<Integer, String> applied(CqlSession session, String keyspace) {
        Map<Integer, String> applied = new HashMap<>();
        for (Row row : session.execute("SELECT version, checksum FROM " + keyspace + ".schema_migrations")) {
            applied.put(row.getInt("version"), row.getString("checksum"));
        }
        return applied;
    }

    private static void requireKnown(Map<Integer, String> applied, String keyspace) {
        for (Map.Entry<Integer, String> entry : applied.entrySet()) {
            Migration known = MIGRATIONS.stream().filter(m -> m.version() == entry.getKey()).findFirst().orElseThrow(() ->
                    new SchemaMismatchException("keyspace " + keyspace + " is at serving schema version " + entry.getKey()
                            + ", newer than this build knows (" + latestVersion() + "): upgrade Tessera"));
            if (!known.checksum().equals(entry.getValue())) {
                throw new SchemaMismatchException("keyspace " + keyspace + ": serving schema migration " + known.version()
                        + " was applied with other statements (checksum " + entry.getValue() + ", this build's " + known.checksum() + ")");
            }
        }
    }

    /**
     * Tessera before migrations kept finished vectors in {@code batch_view} and a {@code views} table
     * with {@code flink_checkpoint}; both are derived from the lake and cannot be merged with realtime
     * partials, so they are dropped (the next retrain publishes the view again).
     */
    private static void dropPreMigrationTables(CqlSession session, String keyspace) {
        boolean legacy = session.execute(SimpleStatement.newInstance("SELECT column_name FROM system_schema.columns WHERE keyspace_name = ?"
                + " AND table_name = 'views' AND column_name = 'flink_checkpoint'", keyspace)).one() != null;
        if (legacy) {
            session.execute("DROP TABLE IF EXISTS " + keyspace + ".batch_view");
            session.execute("DROP TABLE IF EXISTS " + keyspace + ".views");
        }
    }
}
