package io.tessera.batch.publish;

import java.net.InetSocketAddress;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;

/**
 * The batch view in Cassandra, where the query API reads it by key. Rows of every version live side by
 * side; the {@code views} row names the version readers use, so switching versions is one single-row
 * write: readers see the previous view or the new one, never a mix, and a run that fails before the
 * switch leaves the previous view serving.
 */
public final class CassandraViews {

    private final String host;
    private final int port;
    private final String keyspace;

    public CassandraViews(String hostAndPort, String keyspace) {
        String[] parts = hostAndPort.split(":");
        this.host = parts[0];
        this.port = parts.length > 1 ? Integer.parseInt(parts[1]) : 9042;
        this.keyspace = keyspace;
    }

    public void ensureSchema() {
        try (CqlSession session = session()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".batch_view (entity text, view_version bigint,"
                    + " features list<double>, events bigint, last_event_time timestamp, score double, model_version bigint,"
                    + " PRIMARY KEY ((entity), view_version)) WITH CLUSTERING ORDER BY (view_version DESC)");
            session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".views (name text PRIMARY KEY, view_version bigint,"
                    + " snapshot_id bigint, flink_checkpoint bigint, cutoff timestamp, model_version bigint,"
                    + " feature_names list<text>, published_at timestamp)");
        }
    }

    /** Writes the rows of one view version (columns as {@code BatchFeatures.VIEW_SCHEMA}); nothing reads them until {@link #switchTo}. */
    public void write(Dataset<org.apache.spark.sql.Row> view, long viewVersion, Long modelVersion) {
        String hostName = host;
        int portNumber = port;
        String space = keyspace;
        view.foreachPartition((ForeachPartitionFunction<org.apache.spark.sql.Row>) rows -> writePartition(hostName, portNumber, space,
                rows, viewVersion, modelVersion));
    }

    /** The version readers use now, if any. */
    public java.util.Optional<Long> currentVersion(String viewName) {
        try (CqlSession session = session()) {
            Row row = session.execute("SELECT view_version FROM " + keyspace + ".views WHERE name = ?", viewName).one();
            return row == null ? java.util.Optional.empty() : java.util.Optional.of(row.getLong(0));
        }
    }

    /** Points readers at {@code publication}'s version: one row, one write. */
    public void switchTo(String viewName, Publication publication) {
        try (CqlSession session = session()) {
            session.execute(session.prepare("INSERT INTO " + keyspace + ".views (name, view_version, snapshot_id, flink_checkpoint,"
                            + " cutoff, model_version, feature_names, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(viewName, publication.viewVersion(), publication.snapshotId(), publication.flinkCheckpoint().orElse(null),
                            java.time.Instant.ofEpochMilli(publication.cutoff()), publication.modelVersion().orElse(null),
                            publication.featureNames(), java.time.Instant.ofEpochMilli(publication.publishedAt())));
        }
    }

    private CqlSession session() {
        return session(host, port);
    }

    private static CqlSession session(String host, int port) {
        // schema changes on a busy single node take seconds: the driver's 2 s default fails them spuriously
        return CqlSession.builder().addContactPoint(new InetSocketAddress(host, port)).withLocalDatacenter("datacenter1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, java.time.Duration.ofSeconds(30)).build())
                .build();
    }

    private static void writePartition(String host, int port, String keyspace, Iterator<org.apache.spark.sql.Row> rows, long viewVersion,
            Long modelVersion) throws InterruptedException {
        try (CqlSession session = session(host, port)) {
            PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + ".batch_view (entity, view_version, features, events,"
                    + " last_event_time, score, model_version) VALUES (?, ?, ?, ?, ?, ?, ?)");
            // bounded concurrency: enough in flight to hide latency, few enough not to overload one node
            Semaphore inFlight = new Semaphore(64);
            List<CompletionStage<?>> pending = new ArrayList<>();
            while (rows.hasNext()) {
                org.apache.spark.sql.Row row = rows.next();
                List<Double> features = row.getList(row.fieldIndex("features"));
                inFlight.acquire();
                CompletionStage<?> write = session.executeAsync(insert.bind(row.getString(row.fieldIndex("entity")), viewVersion, features,
                                row.getLong(row.fieldIndex("events")), ((Timestamp) row.get(row.fieldIndex("last_event_time"))).toInstant(),
                                row.isNullAt(row.fieldIndex("score")) ? null : row.getDouble(row.fieldIndex("score")), modelVersion))
                        .whenComplete((result, error) -> inFlight.release());
                pending.add(write);
            }
            for (CompletionStage<?> write : pending) {
                write.toCompletableFuture().join();   // rethrows the first failure: the run fails before the switch
            }
        }
    }
}
