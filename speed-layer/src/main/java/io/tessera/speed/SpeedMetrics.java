package io.tessera.speed;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The speed layer's outcome counters, in Flink's metric system (web UI, REST, reporters): every record
 * received is counted once as an event or once as quarantined with its reason, so they reconcile with
 * the topic's offsets. One instance per task. Beside them, how many realtime rows a key holds after each
 * of its events: one per checkpoint epoch with events until a published view covers them, so a busy key
 * grows by one every few seconds between publications (docs/scheduling.md, {@code schedule.publish}).
 */
public final class SpeedMetrics {

    /** The histogram of realtime rows per key, over the task's last {@link #REALTIME_ROWS_WINDOW} events. */
    public static final String REALTIME_ROWS = "realtime_rows_per_key";
    public static final int REALTIME_ROWS_WINDOW = 10_000;

    private final MetricGroup group;
    private final Counter received;
    private final Counter accepted;
    private final Counter scored;
    private final Counter unscored;
    private final Counter challengerScored;
    private final Counter keyedOtherwise;
    private final Map<String, Counter> quarantinedByReason = new HashMap<>();
    /** Registered by the first key's event: only the scoring operator has one (the source's metrics share this class). */
    private Histogram realtimeRows;

    public SpeedMetrics(MetricGroup operator) {
        this.group = operator.addGroup("tessera");
        this.received = group.counter("records_received");
        this.accepted = group.counter("events_accepted");
        this.scored = group.counter("events_scored");
        this.unscored = group.counter("events_unscored");
        this.challengerScored = group.counter("events_scored_by_challenger");
        this.keyedOtherwise = group.counter("records_keyed_otherwise");
    }

    /** The rows the key of an accepted event holds now, its own included. */
    public void realtimeRows(int rows) {
        if (realtimeRows == null) {
            realtimeRows = group.histogram(REALTIME_ROWS, new DescriptiveStatisticsHistogram(REALTIME_ROWS_WINDOW));
        }
        realtimeRows.update(rows);
    }

    public void received() {
        received.inc();
    }

    public void accepted() {
        accepted.inc();
    }

    public void scored() {
        scored.inc();
    }

    /** An event the challenger scored too (in its arm, or any in shadow). */
    public void challengerScored() {
        challengerScored.inc();
    }

    /** An event accepted without a score: no view or champion yet, or one that cannot score. */
    public void unscored() {
        unscored.inc();
    }

    /** A valid record whose Kafka key is not its entity key (or is missing). */
    public void keyedOtherwise() {
        keyedOtherwise.inc();
    }

    public void quarantined(String reason) {
        quarantinedByReason.computeIfAbsent(reason, r -> group.addGroup("quarantined").counter(r)).inc();
    }
}
