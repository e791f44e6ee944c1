package io.tessera.speed.sink;

import io.tessera.featurestore.contract.Score;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.RealtimeViewWriter;
import io.tessera.serving.store.ServingStore;
import io.tessera.speed.job.SpecText;
import io.tessera.speed.score.RealtimeUpdate;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Writes realtime rows to Cassandra with up to {@code maxInFlight} asynchronous upserts per task, and
 * waits for all of them at every checkpoint ({@link SinkWriter#flush}), so a checkpoint completes only
 * when every row of its events is in Cassandra. Rows are whole-row upserts stamped by the driver's
 * monotonic client clock: of two writes of one row in flight the later one wins, and a replay after a
 * failure rewrites the same rows. A failed write fails the task (at the next write or flush); the job
 * restarts from its last checkpoint with back-off.
 */
public final class RealtimeViewSink implements Sink<RealtimeUpdate> {

    private static final long serialVersionUID = 1L;

    private final SpecText spec;
    private final CassandraTarget target;
    private final int maxInFlight;

    public RealtimeViewSink(SpecText spec, CassandraTarget target, int maxInFlight) {
        this.spec = spec;
        this.target = target;
        this.maxInFlight = maxInFlight;
    }

    @Override
    @SuppressWarnings("deprecation")   // Flink 1.20 still requires this variant; the new one delegates to it
    public SinkWriter<RealtimeUpdate> createWriter(InitContext context) {
        PipelineSpec parsed = spec.parse();
        ServingStore store = ServingStore.open(target, parsed.name(), parsed.serving().view());
        store.migrate();
        return new Writer(store, maxInFlight);
    }

    private static final class Writer implements SinkWriter<RealtimeUpdate> {

        private final ServingStore store;
        private final RealtimeViewWriter writer;
        private final InFlightWrites writes;

        Writer(ServingStore store, int maxInFlight) {
            this.store = store;
            this.writer = store.realtimeWriter();
            this.writes = new InFlightWrites(maxInFlight, "a realtime row");
        }

        @Override
        public void write(RealtimeUpdate update, Context context) throws IOException, InterruptedException {
            Score latest = update.latest();
            writes.submit(() -> writer.writeAsync(update.row(), latest, Instant.ofEpochMilli(update.processedAt()), update.merged()));
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            writes.awaitAll();
        }

        @Override
        public void close() throws Exception {
            try {
                flush(true);
            } finally {
                store.close();
            }
        }
    }
}
