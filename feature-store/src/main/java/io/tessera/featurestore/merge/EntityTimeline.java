package io.tessera.featurestore.merge;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventOrder;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The history of one key replayed in event-time order with the algebra: the point-in-time vector of each
 * event (training rows) and the key's batch view. Pure Java; the batch layer runs it per key group.
 *
 * <p>An event's vector sees only events strictly before it (a window read at t covers {@code e.time < t});
 * events with the same timestamp do not see each other, whatever their order.
 *
 * <p>Events come in {@link EventOrder}, the order every engine shares: it decides which of a key's
 * same-millisecond events is its newest (the one whose vector and score the view holds).
 */
public final class EntityTimeline {

    /** Receives each event with its point-in-time vector (the array is reused: copy it to keep it). */
    public interface VectorSink {
        void accept(Event event, double[] vector);
    }

    /**
     * What the batch view holds for one key of snapshot S.
     *
     * @param partials the key's {@link BatchPartials}, encoded: every one of its events in S
     * @param newestEvent its newest event in S
     * @param newestEventVector that event's own point-in-time vector, what its score is computed from,
     *     exactly as the speed layer scores an event when it arrives
     * @param featuresAtCutoff the aggregates read at the cutoff T (event columns NaN): what analysts
     *     compare across runs
     * @param events how many of its events S holds
     */
    public record KeyView(byte[] partials, Event newestEvent, double[] newestEventVector, double[] featuresAtCutoff, long events) {
    }

    private final FeaturePlan plan;
    private final FeatureLayout layout;

    public EntityTimeline(FeaturePlan plan, FeatureLayout layout) {
        this.plan = plan;
        this.layout = layout;
    }

    /**
     * Replays {@code events} (in {@link EventOrder}) and hands every event its vector as of its own time.
     *
     * @return the key's tiles after all events
     */
    public EntityTiles replay(List<Event> events, VectorSink sink) {
        return replay(events, Long.MAX_VALUE, null, sink);
    }

    /**
     * An event with the time the lake received it ({@code ingested_at}).
     */
    public record Arrival(Event event, long ingestedAt) {
    }

    /**
     * {@code point_in_time: ingestion_time}: hands every event its vector as of its own time from only the
     * events ingested no later than it was (and before its time, as always). Events ingested together (one
     * file) see each other as in {@link #replay}; an event ingested later (a backfilled file) is missing from
     * the vectors of the events ingested before it, as it was from their scores.
     *
     * <p>Late arrivals go back in event time, so nothing is sealed or folded: state and the cost of a
     * lifetime read grow with the key's history. Fine for a key's training rows in a batch task, not for a
     * stream.
     */
    public void replayAsIngested(List<Arrival> arrivals, VectorSink sink) {
        List<Arrival> order = new ArrayList<>(arrivals);
        order.sort(Comparator.comparingLong(Arrival::ingestedAt).thenComparing(Arrival::event, EventOrder.COMPARATOR));
        EntityTiles tiles = plan.newEntity();
        double[] vector = new double[layout.size()];
        int start = 0;
        while (start < order.size()) {
            long ingestedAt = order.get(start).ingestedAt();
            int end = start;
            while (end < order.size() && order.get(end).ingestedAt() == ingestedAt) {
                end++;
            }
            // first everything that arrived together enters, then each reads before its own time
            for (int i = start; i < end; i++) {
                plan.add(tiles, order.get(i).event(), Long.MIN_VALUE);
            }
            for (int i = start; i < end; i++) {
                Event event = order.get(i).event();
                layout.assembleInto(vector, tiles, event.time(), event);
                sink.accept(event, vector);
            }
            start = end;
        }
    }

    /**
     * The key's batch view from all of its events in S, in {@link EventOrder}, whatever their time: the cutoff
     * only says where {@code featuresAtCutoff} is read, never which events the view holds.
     *
     * @param events not empty
     */
    public KeyView view(List<Event> events, long cutoff) {
        double[] newest = new double[layout.size()];
        double[] atCutoff = new double[layout.size()];
        EntityTiles tiles = replay(events, cutoff, atCutoff, (event, vector) -> System.arraycopy(vector, 0, newest, 0, newest.length));
        if (events.get(events.size() - 1).time() < cutoff) {
            layout.assembleInto(atCutoff, tiles, cutoff, null);
        }
        return new KeyView(BatchPartials.encode(plan, tiles), events.get(events.size() - 1), newest, atCutoff, events.size());
    }

    /** The replay; before the first instant at or after {@code readAt}, the aggregates at {@code readAt} go to {@code atReadTime}. */
    private EntityTiles replay(List<Event> events, long readAt, double[] atReadTime, VectorSink sink) {
        if (!EventOrder.isSorted(events)) {
            throw new IllegalArgumentException("events are not in EventOrder: sort them with EventOrder.COMPARATOR");
        }
        EntityTiles tiles = plan.newEntity();
        double[] vector = new double[layout.size()];
        boolean read = atReadTime == null;
        long sealed = Long.MIN_VALUE;
        int start = 0;
        while (start < events.size()) {
            long time = events.get(start).time();
            if (!read && time >= readAt) {
                layout.assembleInto(atReadTime, tiles, readAt, null);
                read = true;
            }
            int end = start;
            while (end < events.size() && events.get(end).time() == time) {
                end++;
            }
            // first every event of this instant reads the tiles, then they all enter them
            for (int i = start; i < end; i++) {
                layout.assembleInto(vector, tiles, time, events.get(i));
                sink.accept(events.get(i), vector);
            }
            for (int i = start; i < end; i++) {
                plan.add(tiles, events.get(i));
            }
            // Later reads are at later times, so what the seal boundary passed can be sealed: state stays
            // bounded by the windows, not by the key's history. The boundary moves at most once a tile.
            long boundary = plan.lateness().sealBoundary(tiles.watermark());
            if (boundary > sealed) {
                plan.maintain(tiles, tiles.watermark());
                sealed = boundary;
            }
            start = end;
        }
        return tiles;
    }
}
