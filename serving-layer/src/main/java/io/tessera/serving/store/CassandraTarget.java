package io.tessera.serving.store;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the serving tables live and how they are read and written: the one way every layer opens a
 * Cassandra session. Serializable, so Spark ships it to the executors that write a view's rows.
 *
 * @param host a contact point
 * @param localDatacenter the datacenter the driver routes to, and the one the keyspace replicates in
 * @param replicationFactor copies of every row (1 on one machine; 3 on a cluster)
 * @param readConsistency e.g. {@code LOCAL_QUORUM}: with RF 3 it survives one node down, with RF 1 it is
 *     the one copy
 * @param writeConsistency likewise for writes
 * @param retainedViews published view versions kept (for rollback) beyond the one serving
 * @param requestTimeout per request; schema changes on a busy single node take seconds
 * @param ioThreads the driver's I/O threads; 0 for its default (twice the cores)
 */
public record CassandraTarget(String host, int port, String localDatacenter, int replicationFactor, String readConsistency,
        String writeConsistency, int retainedViews, Duration requestTimeout, int ioThreads) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Defaults that work on one machine: RF 1, LOCAL_QUORUM (which then means the one copy), 3 views kept. */
    public static CassandraTarget local(String host, int port) {
        return new CassandraTarget(host, port, "datacenter1", 1, "LOCAL_QUORUM", "LOCAL_QUORUM", 3, Duration.ofSeconds(30), 0);
    }

    /** {@code host:port} with the local defaults. */
    public static CassandraTarget parse(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        try {
            return colon < 0 ? local(hostAndPort, 9042)
                    : local(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not host:port: '" + hostAndPort + "'");
        }
    }

    public CassandraTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(localDatacenter, "localDatacenter");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("Cassandra port out of range: " + port);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("I/O threads must be 0 (the driver's default) or more, got " + ioThreads);
        }
        if (retainedViews < 1) {
            throw new IllegalArgumentException("at least the serving view is retained, got " + retainedViews);
        }
        consistency(readConsistency);
        consistency(writeConsistency);
    }

    public CassandraTarget withReplication(int factor, String read, String write) {
        return new CassandraTarget(host, port, localDatacenter, factor, read, write, retainedViews, requestTimeout, ioThreads);
    }

    public CassandraTarget withRetainedViews(int views) {
        return new CassandraTarget(host, port, localDatacenter, replicationFactor, readConsistency, writeConsistency, views, requestTimeout, ioThreads);
    }

    public CassandraTarget withRequestTimeout(Duration timeout) {
        return new CassandraTarget(host, port, localDatacenter, replicationFactor, readConsistency, writeConsistency, retainedViews, timeout, ioThreads);
    }

    /**
     * With {@code threads} I/O threads in the sessions it opens. The query API takes one: its answers are
     * merged and encoded on the driver's thread that completes a read, and on two cores one such thread
     * held the p99 of 5,000 GETs/s at the driver-only floor's where the default four gave 3 to 7 times
     * it (bench/README.md, "Query API under load").
     */
    public CassandraTarget withIoThreads(int threads) {
        return new CassandraTarget(host, port, localDatacenter, replicationFactor, readConsistency, writeConsistency, retainedViews, requestTimeout,
                threads);
    }

    public ConsistencyLevel reads() {
        return consistency(readConsistency);
    }

    public ConsistencyLevel writes() {
        return consistency(writeConsistency);
    }

    public CqlSession open() {
        ProgrammaticDriverConfigLoaderBuilder config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, requestTimeout);
        if (ioThreads > 0) {
            config.withInt(DefaultDriverOption.NETTY_IO_SIZE, ioThreads);
        }
        return CqlSession.builder().addContactPoint(new InetSocketAddress(host, port)).withLocalDatacenter(localDatacenter)
                .withConfigLoader(config.build()).build();
    }

    private static ConsistencyLevel consistency(String name) {
        try {
            return DefaultConsistencyLevel.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown Cassandra consistency level '" + name + "' (e.g. LOCAL_QUORUM, ONE, QUORUM)");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port + " (" + localDatacenter + ", RF " + replicationFactor + ")";
    }
}
