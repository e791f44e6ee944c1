package io.tessera.jobs.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.tessera.featurestore.lake.JobRun.Job;
import io.tessera.serving.store.CassandraTarget;

/**
 * Who may run a pipeline's job now: a lease per (pipeline, job) in Cassandra, taken with a lightweight
 * transaction ({@code INSERT ... IF NOT EXISTS USING TTL}) and kept by renewing it ({@code UPDATE ...
 * USING TTL ... IF run_id = ?}) well within its duration. A holder that dies (the scheduler killed, the
 * machine gone) stops renewing, and Cassandra drops the lease when its TTL runs out: the lock survives a
 * crash of the scheduler and of the job without anyone cleaning up. A local file could not: it would
 * neither expire nor be seen by a scheduler on another machine.
 *
 * <p>Table {@code <keyspace>.job_leases} (keyspace {@code platform} by default, created if missing, with
 * the serving tables' replication): {@code ((pipeline, job)) -> run_id, owner, acquired_at}.
 */
public final class JobLeases implements AutoCloseable {

    public static final String KEYSPACE = "platform";

    /** A lease held: renew it within {@code duration}, release it when done. */
    public record Lease(String pipeline, Job job, String runId, String owner, Instant acquiredAt, Duration duration) {
    }

    /** Who holds a lease. */
    public record Holder(String runId, String owner, Instant acquiredAt) {

        @Override
        public String toString() {
            return "run " + runId + " of " + owner + " since " + acquiredAt;
        }
    }

    private final CqlSession session;
    private final String keyspace;

    private JobLeases(CqlSession session, String keyspace) {
        this.session = session;
        this.keyspace = keyspace;
    }

    /** Opens a session to {@code target} and creates the keyspace and table if missing. */
    public static JobLeases open(CassandraTarget target, String keyspace) {
        CqlSession session = target.open();
        try {
            session.execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = {'class': 'NetworkTopologyStrategy', '"
                    + target.localDatacenter() + "': " + target.replicationFactor() + "}");
            session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".job_leases (pipeline text, job text, run_id text, owner text,"
                    + " acquired_at timestamp, PRIMARY KEY ((pipeline, job)))");
            return new JobLeases(session, keyspace);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * Takes the lease of {@code pipeline}'s {@code job} for {@code runId} if nobody holds it.
     *
     * @return the lease, or empty when someone holds it (see {@link #holder})
     */
    public Optional<Lease> tryAcquire(String pipeline, Job job, String runId, String owner, Duration duration, Instant now) {
        boolean applied = session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".job_leases (pipeline, job, run_id, owner,"
                + " acquired_at) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS USING TTL ?", pipeline, job.label(), runId, owner, now, ttl(duration)))
                .wasApplied();
        return applied ? Optional.of(new Lease(pipeline, job, runId, owner, now, duration)) : Optional.empty();
    }

    /**
     * Extends {@code lease} by its duration from now.
     *
     * @return false if it was lost (expired, and maybe taken by another run): its holder must not assume it
     */
    public boolean renew(Lease lease) {
        // every column again, each with the new TTL: the row lives as long as one of its cells does
        return session.execute(SimpleStatement.newInstance("UPDATE " + keyspace + ".job_leases USING TTL ? SET owner = ?, run_id = ?,"
                + " acquired_at = ? WHERE pipeline = ? AND job = ? IF run_id = ?", ttl(lease.duration()), lease.owner(), lease.runId(),
                lease.acquiredAt(), lease.pipeline(), lease.job().label(), lease.runId()).setIdempotent(false)).wasApplied();
    }

    /** Gives {@code lease} up, if still held. */
    public void release(Lease lease) {
        session.execute(SimpleStatement.newInstance("DELETE FROM " + keyspace + ".job_leases WHERE pipeline = ? AND job = ? IF run_id = ?",
                lease.pipeline(), lease.job().label(), lease.runId()));
    }

    /** Who holds the lease of {@code pipeline}'s {@code job}, if anyone (read at serial consistency, as the transactions see it). */
    public Optional<Holder> holder(String pipeline, Job job) {
        Row row = session.execute(SimpleStatement.newInstance("SELECT run_id, owner, acquired_at FROM " + keyspace + ".job_leases WHERE"
                + " pipeline = ? AND job = ?", pipeline, job.label())
                .setConsistencyLevel(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_SERIAL))
                .one();
        return row == null || row.getString("run_id") == null ? Optional.empty()
                : Optional.of(new Holder(row.getString("run_id"), row.getString("owner"), row.getInstant("acquired_at")));
    }

    @Override
    public void close() {
        session.close();
    }

    private static int ttl(Duration duration) {
        return (int) Math.max(1, duration.toSeconds());
    }
}
