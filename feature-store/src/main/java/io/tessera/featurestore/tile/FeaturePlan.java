package io.tessera.featurestore.tile;

import io.tessera.featurestore.aggregate.Op;
import io.tessera.featurestore.event.DecodeResult;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.expr.Condition;
import io.tessera.featurestore.expr.ExpressionEvaluationException;
import io.tessera.featurestore.spec.AggregationSpec;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.time.Admission;
import io.tessera.featurestore.time.LatenessPolicy;
import io.tessera.featurestore.time.TileGrid;
import io.tessera.featurestore.time.Window;
import io.tessera.featurestore.spec.Fingerprint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How events of a pipeline become tiles: the spec's aggregations compiled once (their {@code where}
 * conditions type-checked into CEL programs), then applied per event. Immutable and thread-safe; the
 * per-key state it works on is an {@link EntityTiles}.
 */
public final class FeaturePlan {

    /**
     * One aggregation, compiled.
     *
     * @param labelDelay for an aggregation that reads the label, the label's {@code known_after} in
     *     milliseconds: an event enters its tiles at {@code time + labelDelay}, when its label is known, so a
     *     read at t sees the labels of events before {@code t - labelDelay} only; 0 for every other
     */
    public record Aggregation(AggregationSpec spec, Condition where, long labelDelay) {

        public String name() {
            return spec.name();
        }

        public Op op() {
            return spec.op();
        }

        /** How far back its reads reach: the longest window, or {@link TileSet#LIFETIME} for a lifetime aggregation. */
        long reach() {
            return spec.windows().stream().mapToLong(Window.Trailing::millis).max().orElse(TileSet.LIFETIME);
        }

        /**
         * Whether the event enters this aggregation: it passes {@code where} and has the input. An
         * absent input is skipped (not an error, not a zero): {@code count} counts events, every other op
         * aggregates the values that are there.
         *
         * @throws io.tessera.featurestore.expr.ExpressionEvaluationException if {@code where} fails on it
         */
        boolean takes(Event event) {
            if (spec.op().input() != Op.Input.NONE && !event.has(spec.of().orElseThrow())) {
                return false;
            }
            return where == null || where.test(event.fields());
        }

        /** Folds one event that {@link #takes} into the tiles, at the time it becomes visible. */
        Admission accumulate(TileSet tiles, Event event) {
            long visibleAt = event.time() + labelDelay;
            return switch (spec.op().input()) {
                case NONE -> tiles.addEvent(visibleAt);
                case NUMBER -> tiles.addNumber(event.number(spec.of().orElseThrow()), visibleAt);
                case VALUE -> tiles.addValue(event.get(spec.of().orElseThrow()), visibleAt);
            };
        }
    }

    private final TileGrid grid;
    private final LatenessPolicy lateness;
    private final List<Aggregation> aggregations;
    private final Map<String, Integer> indexByName = new HashMap<>();
    /** {@link Aggregation#reach} of each aggregation, computed once: {@link #maintain} runs per event. */
    private final long[] reach;
    private final Fingerprint fingerprint;
    /** The first bytes of the fingerprint, stamped on every stored partial layout; decoders compare it per row. */
    private final byte[] stamp;

    private FeaturePlan(TileGrid grid, LatenessPolicy lateness, List<Aggregation> aggregations) {
        this.grid = grid;
        this.lateness = lateness;
        this.aggregations = List.copyOf(aggregations);
        this.reach = this.aggregations.stream().mapToLong(Aggregation::reach).toArray();
        StringBuilder canonical = new StringBuilder("tile=").append(grid.tileMillis()).append(";lateness=")
                .append(lateness.maxLatenessMillis());
        for (int i = 0; i < this.aggregations.size(); i++) {
            AggregationSpec spec = this.aggregations.get(i).spec();
            indexByName.put(spec.name(), i);
            canonical.append(';').append(spec.name()).append('|').append(spec.op().specName()).append('|').append(spec.of().orElse(""))
                    .append('|').append(spec.where().orElse("")).append('|')
                    .append(spec.windows().stream().map(w -> Long.toString(w.millis())).toList());
            long delay = this.aggregations.get(i).labelDelay();
            if (delay != 0) {
                canonical.append("|label_delay=").append(delay);   // only where set: other plans keep their fingerprints
            }
        }
        this.fingerprint = Fingerprint.of(canonical.toString());
        this.stamp = java.util.Arrays.copyOf(java.util.HexFormat.of().parseHex(fingerprint.hex()), EntityTilesCodec.PLAN_PREFIX);
    }

    public static FeaturePlan of(PipelineSpec spec) {
        List<Aggregation> compiled = new ArrayList<>();
        for (AggregationSpec aggregation : spec.features().aggregations()) {
            compiled.add(new Aggregation(aggregation, spec.where(aggregation).orElse(null), spec.labelDelay(aggregation).toMillis()));
        }
        return new FeaturePlan(spec.tileGrid(), spec.latenessPolicy(), compiled);
    }

    public TileGrid grid() {
        return grid;
    }

    public LatenessPolicy lateness() {
        return lateness;
    }

    public List<Aggregation> aggregations() {
        return aggregations;
    }

    /**
     * @throws IllegalArgumentException if the plan has no such aggregation
     */
    public int indexOf(String aggregation) {
        Integer index = indexByName.get(aggregation);
        if (index == null) {
            throw new IllegalArgumentException("no aggregation '" + aggregation + "' (have " + indexByName.keySet() + ")");
        }
        return index;
    }

    /**
     * What determines the partials: the tile, the lateness and each aggregation's name, op, input,
     * condition and windows. Partials written under another fingerprint do not fit this plan.
     */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    /** Not copied: only the codecs of this package's layouts read it, and never change it. */
    byte[] stamp() {
        return stamp;
    }

    /** Empty state for one key. */
    public EntityTiles newEntity() {
        LinkedHashMap<String, TileSet> tiles = new LinkedHashMap<>();
        for (Aggregation aggregation : aggregations) {
            tiles.put(aggregation.name(), new TileSet(aggregation.op(), grid));
        }
        return EntityTiles.of(tiles);
    }

    /** {@link #add(EntityTiles, Event, long)} with the key's own watermark. */
    public Admission add(EntityTiles entity, Event event) {
        return add(entity, event, entity.watermark());
    }

    /**
     * Adds an event to every aggregation it passes the {@code where} of, unless it is late. All or
     * nothing: every {@code where} is evaluated first, and only then are tiles changed, so an event whose
     * expressions fail leaves the key's state exactly as it was.
     *
     * @param watermark the engine's watermark (per key or per source); events older than
     *     {@code watermark - max_lateness} are rejected
     * @return {@link Admission#LATE} if rejected (nothing changed): route the event to quarantine
     * @throws ExpressionEvaluationException if a {@code where} cannot be evaluated on the event (nothing
     *     changed): quarantine it with reason {@code expression_error} and the exception's message
     */
    public Admission add(EntityTiles entity, Event event, long watermark) {
        if (isLate(entity, event, watermark)) {
            return Admission.LATE;   // before select: a late event's conditions are not evaluated
        }
        accumulate(entity, event, select(event));
        return Admission.ACCEPTED;
    }

    /**
     * {@link #add(EntityTiles, Event, long)} with the event's selection made before: an engine that adds
     * one event to several sets of tiles evaluates its {@code where}s once.
     *
     * @param selection {@link #select}'s answer for this event
     */
    public Admission add(EntityTiles entity, Event event, long watermark, Selection selection) {
        if (isLate(entity, event, watermark)) {
            return Admission.LATE;
        }
        accumulate(entity, event, selection);
        return Admission.ACCEPTED;
    }

    private void accumulate(EntityTiles entity, Event event, Selection selection) {
        for (int i = 0; i < aggregations.size(); i++) {
            if (selection.includes(i)) {
                Aggregation aggregation = aggregations.get(i);
                if (aggregation.accumulate(entity.tiles(aggregation.name()), event) == Admission.LATE) {
                    throw new IllegalStateException("tiles of " + aggregation.name() + " sealed after " + event.time());
                }
            }
        }
        entity.advanceWatermark(event.time());
    }

    private boolean isLate(EntityTiles entity, Event event, long watermark) {
        return lateness.admit(event.time(), watermark) == Admission.LATE || event.time() < entity.sealedBefore();
    }

    /**
     * Which aggregations the event enters: every {@code where} evaluated, no state touched. What an ingest
     * runs to quarantine an event that {@link #add} would refuse, before it enters the lake; all or
     * nothing, since {@link #add} changes tiles only once every {@code where} has been evaluated.
     *
     * @throws ExpressionEvaluationException if one cannot be evaluated on the event
     */
    public Selection select(Event event) {
        Selection selection = Selection.empty(aggregations.size());
        for (int i = 0; i < aggregations.size(); i++) {
            if (aggregations.get(i).takes(event)) {
                selection.include(i);
            }
        }
        return selection;
    }

    /**
     * A decoded record as every engine admits it: an accepted event whose expressions cannot be evaluated
     * becomes a rejection with reason {@code expression_error} ({@link #select}, {@link #expressionError}).
     */
    public DecodeResult checked(DecodeResult decoded) {
        if (decoded instanceof DecodeResult.Accepted accepted) {
            try {
                select(accepted.event());
            } catch (ExpressionEvaluationException e) {
                return expressionError(e);
            }
        }
        return decoded;
    }

    /** The rejection of an event {@link #select} could not evaluate, the same in every engine. */
    public static DecodeResult.Rejected expressionError(ExpressionEvaluationException e) {
        return new DecodeResult.Rejected(DecodeResult.EXPRESSION_ERROR, e.getMessage());
    }

    /**
     * Keeps state bounded: seals tiles before {@code LatenessPolicy.sealBoundary(watermark)}, drops tiles
     * no window can reach any more, and folds lifetime aggregations into one prefix partial. Reads at or
     * after {@code watermark - max_lateness} stay exact.
     */
    public void maintain(EntityTiles entity, long watermark) {
        long boundary = lateness.sealBoundary(watermark);
        if (boundary == Long.MIN_VALUE) {
            return;
        }
        for (int i = 0; i < aggregations.size(); i++) {
            entity.tiles(aggregations.get(i).name()).maintain(boundary, reach[i]);
        }
    }
}
