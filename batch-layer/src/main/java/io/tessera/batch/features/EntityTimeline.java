package io.tessera.batch.features;

import java.util.List;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;

/**
 * The history of one entity replayed in event-time order with the feature-store algebra: the point-in-time
 * vector of each event, and the view as of a cutoff. Pure Java; Spark runs it per key group.
 *
 * <p>An event's vector sees only events strictly before it (DESIGN.md: a window read at t covers
 * {@code e.time < t}); events with the same timestamp do not see each other, whatever their order.
 */
public final class EntityTimeline {

    /** Receives each event with its point-in-time vector (the array is reused: copy it to keep it). */
    public interface VectorSink {
        void accept(Event event, double[] vector);
    }

    /** What the batch view holds for one entity as of a cutoff. */
    public record CutoffView(double[] featuresAtCutoff, Event lastEvent, double[] lastEventVector, long events) {
    }

    private final FeaturePlan plan;
    private final FeatureLayout layout;

    public EntityTimeline(FeaturePlan plan, FeatureLayout layout) {
        this.plan = plan;
        this.layout = layout;
    }

    /**
     * Replays {@code events} (sorted by time) and hands every event its vector as of its own time.
     *
     * @return the entity's tiles after all events
     */
    public EntityTiles replay(List<Event> events, VectorSink sink) {
        EntityTiles tiles = plan.newEntity();
        double[] vector = new double[layout.size()];
        int start = 0;
        while (start < events.size()) {
            long time = events.get(start).time();
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
            start = end;
        }
        return tiles;
    }

    /**
     * The view as of {@code cutoff}: the aggregates read at the cutoff (event columns NaN: no event is
     * being scored), and the newest event with its own point-in-time vector (what its score is computed
     * from, exactly as the speed layer scores an event when it arrives).
     *
     * @param events the entity's events before the cutoff, sorted by time; not empty
     */
    public CutoffView viewAt(List<Event> events, long cutoff) {
        double[] last = new double[layout.size()];
        EntityTiles tiles = replay(events, (event, vector) -> System.arraycopy(vector, 0, last, 0, last.length));
        return new CutoffView(layout.assemble(tiles, cutoff, null), events.get(events.size() - 1), last, events.size());
    }
}
