package io.tessera.serving.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;

/**
 * Writes the rows of one view version, nothing else: readers do not see them until the publication
 * switches to the version. Serializable and stateless, so a Spark job can hand it to every executor,
 * each writing its partition's rows through a session of its own.
 */
public final class BatchViewWriter implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Enough writes in flight to hide latency, few enough not to overload one node (docs/stack.md, "Cassandra throughput"). */
    private static final int IN_FLIGHT = 64;

    private final CassandraTarget target;
    private final String keyspace;
    private final long viewVersion;
    private final int buckets;

    BatchViewWriter(CassandraTarget target, String keyspace, long viewVersion, int buckets) {
        this.target = target;
        this.keyspace = keyspace;
        this.viewVersion = viewVersion;
        this.buckets = buckets;
    }

    /**
     * Writes the rows, waiting for every write.
     *
     * @return how many rows were written
     * @throws RuntimeException the first write's failure: the publication then never switches
     */
    public long write(Iterator<BatchViewRow> rows) throws InterruptedException {
        try (CqlSession session = target.open()) {
            PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + ".batch_view (view_version, bucket, entity, partials,"
                    + " events, newest_event_time, newest_event_vector, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            Semaphore inFlight = new Semaphore(IN_FLIGHT);
            List<CompletionStage<?>> pending = new ArrayList<>();
            long written = 0;
            while (rows.hasNext()) {
                BatchViewRow row = rows.next();
                inFlight.acquire();
                pending.add(session.executeAsync(insert.bind(viewVersion, ViewBuckets.of(row.entity(), buckets), row.entity(),
                                ByteBuffer.wrap(row.partials()), row.events(), Instant.ofEpochMilli(row.newestEventTime()),
                                Arrays.stream(row.newestEventVector()).boxed().toList(), row.score().orElse(null))
                                .setConsistencyLevel(target.writes()))
                        .whenComplete((result, error) -> inFlight.release()));
                written++;
            }
            for (CompletionStage<?> write : pending) {
                write.toCompletableFuture().join();
            }
            return written;
        }
    }
}
