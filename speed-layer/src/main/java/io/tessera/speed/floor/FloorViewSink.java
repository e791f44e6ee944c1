package io.tessera.speed.floor;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.speed.sink.InFlightWrites;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * The benchmark floor's sink: per record one upsert of the realtime view's shape (the epoch row and the
 * partition's static score columns) into {@code <keyspace>.floor_view}, with the write pattern of
 * {@code RealtimeViewSink}: up to {@code maxInFlight} asynchronous upserts, all awaited at every
 * checkpoint. The epoch is the number of checkpoints this writer has flushed. The row's partials are the
 * record's bytes and {@code score_event_time} is the Kafka timestamp (what the freshness probe looks for).
 */
final class FloorViewSink implements Sink<FloorRecord> {

    private static final long serialVersionUID = 1L;

    private final CassandraTarget target;
    private final String keyspace;
    private final int maxInFlight;

    FloorViewSink(CassandraTarget target, String keyspace, int maxInFlight) {
        this.target = target;
        this.keyspace = keyspace;
        this.maxInFlight = maxInFlight;
    }

    /** The realtime view's columns and keys, under another name. */
    static void createTable(CassandraTarget target, String keyspace) {
        try (CqlSession session = target.open()) {
            session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".floor_view (entity text, generation bigint, epoch bigint, partials blob,"
                    + " written_at timestamp, score double static, score_model text static, score_model_version bigint static,"
                    + " score_role text static, score_view_version bigint static, score_snapshot_id bigint static,"
                    + " score_snapshot_sequence bigint static, score_snapshot_committed_at timestamp static,"
                    + " score_event_time timestamp static, score_processed_at timestamp static,"
                    + " PRIMARY KEY ((entity), generation, epoch))");
        }
    }

    @Override
    @SuppressWarnings("deprecation")   // Flink 1.20 still requires this variant
    public SinkWriter<FloorRecord> createWriter(InitContext context) {
        return new Writer(target, keyspace, maxInFlight);
    }

    private static final class Writer implements SinkWriter<FloorRecord> {

        private final CassandraTarget target;
        private final CqlSession session;
        private final PreparedStatement upsert;
        private final InFlightWrites writes;
        private long epoch = 1;

        Writer(CassandraTarget target, String keyspace, int maxInFlight) {
            this.target = target;
            this.session = target.open();
            this.upsert = session.prepare("INSERT INTO " + keyspace + ".floor_view (entity, generation, epoch, partials, written_at, score,"
                    + " score_model, score_model_version, score_role, score_view_version, score_snapshot_id, score_snapshot_sequence,"
                    + " score_snapshot_committed_at, score_event_time, score_processed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            this.writes = new InFlightWrites(maxInFlight, "a floor row");
        }

        @Override
        public void write(FloorRecord record, Context context) throws IOException, InterruptedException {
            Instant now = Instant.now();
            writes.submit(() -> session.executeAsync(upsert.bind(record.entity, 1L, epoch, ByteBuffer.wrap(record.value), now, 0.0, "floor",
                    1L, "champion", 1L, 1L, 1L, now, Instant.ofEpochMilli(record.timestamp), now).setConsistencyLevel(target.writes())));
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            writes.awaitAll();
            epoch++;
        }

        @Override
        public void close() throws Exception {
            try {
                flush(true);
            } finally {
                session.close();
            }
        }
    }
}
