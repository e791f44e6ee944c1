package io.tessera.featurestore.tile;

import io.tessera.featurestore.aggregate.BinaryWriter;
import io.tessera.featurestore.aggregate.Op;
import io.tessera.featurestore.aggregate.Partial;
import io.tessera.featurestore.time.Admission;
import io.tessera.featurestore.time.TileGrid;
import io.tessera.featurestore.time.TimeSpan;
import io.tessera.featurestore.time.Window;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The partials of one aggregation for one entity key, kept as <em>slices</em> of event time.
 *
 * <p><b>Why slices, not only tiles.</b> A window read at {@code t} ends exactly at {@code t} (exclusive),
 * and {@code t} usually falls inside a tile: the read needs that tile's events before {@code t} and not
 * the others (events with the same timestamp as a scored event, out-of-order events already folded in).
 * A whole-tile partial cannot tell them apart. So the head of the stream is kept at millisecond
 * resolution: every event goes into the slice {@code [time, time + 1)} of its timestamp, and a read takes
 * the slices that lie wholly inside {@code [floor_s(t - W), t)}. The window start is a tile boundary, so
 * whole tiles are fine there.
 *
 * <p><b>Sealing.</b> Once no event can arrive in a tile and no read can fall inside it (its end is at or
 * before {@link io.tessera.featurestore.time.LatenessPolicy#sealBoundary the seal boundary}), its slices
 * are collapsed into one whole-tile slice ({@link #seal}). State per key is therefore one partial per
 * sealed tile plus one per distinct timestamp in the last {@code max_lateness + tile} of event time.
 * Should a read ever cut through a stored slice, it throws {@link InexactReadException} rather than
 * answer approximately.
 *
 * <p><b>Merging sources.</b> Batch tiles and speed tiles for the same key are merged slice by slice
 * ({@link #mergeFrom}); equal slices merge their partials, different slices simply coexist.
 *
 * <p><b>The common read, in one merge.</b> Events mostly arrive in time order and are read at their own
 * time (the speed layer) or later (serving): then a window long enough to reach the oldest slice covers
 * every slice but the newest instant, or every slice. So the tile set keeps the merge of every slice
 * before its newest one ({@link #head}), extended when a newer instant arrives and forgotten
 * when an older slice changes (an out-of-order event, an eviction, a merge from storage), to be merged
 * again at the next read. Reads that cover less (a short window) merge their slices as before.
 *
 * <p>Not thread-safe.
 */
public final class TileSet {

    private final Op op;
    private final TileGrid grid;
    private final TreeMap<TimeSpan, Partial> slices = new TreeMap<>();
    private long sealedBefore = Long.MIN_VALUE;
    /** The newest slice (the last key), {@code null} while there is none. */
    private TimeSpan head;
    /** The merge of every slice but {@link #head}; {@code null} until a read needs it, or when it must be merged again. */
    private Partial beforeHead;
    /** The latest end of those slices, valid with {@link #beforeHead}. */
    private long beforeHeadEnd;
    /**
     * The {@link EntityTilesCodec} encoding of the slices before {@link #head} up to {@link #encodedThrough},
     * once the tile set was encoded; brought up to the head at the next encoding and forgotten with
     * {@link #beforeHead}: the speed layer writes a key's epoch row per event, and between two events only
     * its newest slice changes, so re-encoding every slice cost more than the rest of the row's work
     * (docs/stack.md, "Flink").
     */
    private BinaryWriter encodedBeforeHead;
    /** The last slice in {@link #encodedBeforeHead}; {@code null} while it holds none. */
    private TimeSpan encodedThrough;
    /** {@link #rewrites()} */
    private long rewrites;
    /**
     * The boundary {@link #maintain} last ran at; {@code Long.MIN_VALUE} after {@link #put} or
     * {@link #mergeFrom}, the only ways a slice before it can come back.
     */
    private long maintainedAt = Long.MIN_VALUE;

    public TileSet(Op op, TileGrid grid) {
        this.op = Objects.requireNonNull(op, "op");
        this.grid = Objects.requireNonNull(grid, "grid");
    }

    public Op op() {
        return op;
    }

    public TileGrid grid() {
        return grid;
    }

    /** Events before this time are {@linkplain Admission#LATE late}: their tiles are sealed. */
    public long sealedBefore() {
        return sealedBefore;
    }

    public boolean isEmpty() {
        return slices.isEmpty();
    }

    /** The stored slices in time order, read-only: what an engine persists as (slice, encoded partial). */
    public NavigableMap<TimeSpan, Partial> slices() {
        return Collections.unmodifiableNavigableMap(slices);
    }

    /** Adds an event to a {@code count}-like op. */
    public Admission addEvent(long eventTime) {
        requireInput(Op.Input.NONE);
        Partial slot = slotFor(eventTime);
        if (slot == null) {
            return Admission.LATE;
        }
        ((Partial.CountsEvents) slot).add(eventTime);
        return Admission.ACCEPTED;
    }

    /** Adds the numeric value of an event to a {@code sum}-like op. */
    public Admission addNumber(double value, long eventTime) {
        requireInput(Op.Input.NUMBER);
        Partial slot = slotFor(eventTime);
        if (slot == null) {
            return Admission.LATE;
        }
        ((Partial.TakesNumbers) slot).add(value, eventTime);
        return Admission.ACCEPTED;
    }

    /** Adds a value of any type (String, Long, Integer, Double, Boolean) to an {@code approx_distinct}-like op. */
    public Admission addValue(Object value, long eventTime) {
        requireInput(Op.Input.VALUE);
        Partial slot = slotFor(eventTime);
        if (slot == null) {
            return Admission.LATE;
        }
        Partial.TakesValues taker = (Partial.TakesValues) slot;
        if (value instanceof String s) {
            taker.add(s, eventTime);
        } else if (value instanceof Long || value instanceof Integer) {
            taker.add(((Number) value).longValue(), eventTime);
        } else if (value instanceof Double d) {
            taker.add(d.doubleValue(), eventTime);
        } else if (value instanceof Boolean b) {
            taker.add(b.booleanValue(), eventTime);
        } else {
            throw new IllegalArgumentException("unsupported value type " + (value == null ? "null" : value.getClass().getName()));
        }
        return Admission.ACCEPTED;
    }

    private void requireInput(Op.Input input) {
        if (op.input() != input) {
            throw new IllegalArgumentException("op " + op.specName() + " takes " + op.input() + ", not " + input);
        }
    }

    private Partial slotFor(long eventTime) {
        if (eventTime < sealedBefore) {
            return null;
        }
        TimeSpan instant = TimeSpan.instant(eventTime);
        int order = head == null ? 1 : instant.compareTo(head);
        if (order > 0) {
            // the newest slice so far: the previous one joins the merge before it, if a read built that merge
            // (a tile set no one reads, such as a speed-layer epoch row, never pays for it)
            if (beforeHead != null) {
                beforeHead.mergeFrom(slices.get(head));
                beforeHeadEnd = Math.max(beforeHeadEnd, head.end());
            }
            head = instant;
        } else if (order < 0) {
            // an older slice changes
            beforeHead = null;
            encodedBeforeHead = null;
            rewrites++;
        }
        return slices.computeIfAbsent(instant, span -> op.newPartial());
    }

    /** After slices changed other than by an event: the newest is found again and the merge before it redone when read. */
    private void slicesReplaced() {
        beforeHead = null;
        encodedBeforeHead = null;
        rewrites++;
        head = slices.isEmpty() ? null : slices.lastKey();
    }

    private Partial beforeHead() {
        if (beforeHead == null) {
            Partial merged = op.newPartial();
            long end = Long.MIN_VALUE;
            for (Map.Entry<TimeSpan, Partial> e : slices.headMap(head, false).entrySet()) {
                merged.mergeFrom(e.getValue());
                end = Math.max(end, e.getKey().end());
            }
            beforeHead = merged;
            beforeHeadEnd = end;
        }
        return beforeHead;
    }

    /** Writes the slice count and the slices as {@link EntityTilesCodec} lays them out, through its scratch writer. */
    void writeSlices(BinaryWriter out, BinaryWriter partialBytes) {
        out.writeVarLong(slices.size());
        if (head == null) {
            return;
        }
        if (encodedBeforeHead == null) {
            encodedBeforeHead = new BinaryWriter(256);
            encodedThrough = null;
        }
        NavigableMap<TimeSpan, Partial> notYet = encodedThrough == null ? slices.headMap(head, false)
                : slices.subMap(encodedThrough, false, head, false);
        for (Map.Entry<TimeSpan, Partial> e : notYet.entrySet()) {
            EntityTilesCodec.writeSlice(e.getKey(), e.getValue(), encodedBeforeHead, partialBytes);
            encodedThrough = e.getKey();
        }
        out.writeAll(encodedBeforeHead);
        EntityTilesCodec.writeSlice(head, slices.get(head), out, partialBytes);
    }

    /** About the bytes {@link #writeSlices} writes, to size a writer once. */
    int encodedSizeHint() {
        return encodedBeforeHead == null ? 64 : encodedBeforeHead.size() + 64;
    }

    /**
     * Stores a slice read from storage (or written by another engine), merging it into an equal slice.
     * The tile set takes the partial over: the caller must not use it afterwards (decoders hand over
     * what they just decoded, with no copy).
     *
     * @throws IllegalArgumentException if the partial is of another op, or the slice spans tiles (only a
     *     {@linkplain #foldBefore folded} prefix starting at {@code Long.MIN_VALUE} may)
     */
    public void put(TimeSpan slice, Partial partial) {
        if (partial.op() != op) {
            throw new IllegalArgumentException("a " + partial.op().specName() + " partial in a " + op.specName() + " tile set");
        }
        if (slice.start() != Long.MIN_VALUE && !grid.withinOneTile(slice)) {
            throw new IllegalArgumentException("slice " + slice + " spans more than one tile of " + grid.tileMillis() + " ms");
        }
        slices.merge(slice, partial, TileSet::mergeInto);
        slicesReplaced();
        maintainedAt = Long.MIN_VALUE;
    }

    /** Merges another source's slices into this one (batch view + realtime view). */
    public void mergeFrom(TileSet other) {
        if (other.op != op || !other.grid.equals(grid)) {
            throw new IllegalArgumentException("cannot merge " + other.op.specName() + " tiles of " + other.grid
                    + " into " + op.specName() + " tiles of " + grid);
        }
        for (Map.Entry<TimeSpan, Partial> e : other.slices.entrySet()) {
            slices.merge(e.getKey(), e.getValue().copy(), TileSet::mergeInto);
        }
        sealedBefore = Math.max(sealedBefore, other.sealedBefore);
        slicesReplaced();
        maintainedAt = Long.MIN_VALUE;
    }

    private static Partial mergeInto(Partial mine, Partial theirs) {
        mine.mergeFrom(theirs);
        return mine;
    }

    /**
     * The partial of the window read at {@code readTime}: the merge of every slice inside
     * {@code window.spanAt(readTime)}. A new partial; this tile set is unchanged.
     *
     * @throws InexactReadException if a stored slice straddles an edge of the window
     */
    public Partial read(Window window, long readTime) {
        // The window's span is the one definition of the edges; everything below follows from it.
        TimeSpan span = window.spanAt(readTime, grid);
        Partial result = op.newPartial();
        if (slices.isEmpty()) {
            return result;
        }
        if (span.start() <= slices.firstKey().start() && (head.end() <= span.end() || head.start() >= span.end())) {
            Partial before = beforeHead();
            if (beforeHeadEnd <= span.end()) {
                // every slice but the newest is inside the window: one merge (see the class comment)
                result.mergeFrom(before);
                if (head.end() <= span.end()) {
                    result.mergeFrom(slices.get(head));
                }
                return result;
            }
        }
        NavigableMap<TimeSpan, Partial> candidates;
        if (span.start() == Long.MIN_VALUE) {
            candidates = slices.headMap(TimeSpan.instant(span.end()), false);
        } else {
            // Slices inside one tile cannot reach back further than one tile before the window start;
            // only a folded prefix can, and it is checked on its own.
            TimeSpan first = slices.firstKey();
            if (first.start() == Long.MIN_VALUE && first.overlaps(span)) {
                throw new InexactReadException(first, span);
            }
            candidates = slices.subMap(TimeSpan.instant(span.start() - grid.tileMillis()), true,
                    TimeSpan.instant(span.end()), false);
        }
        for (Map.Entry<TimeSpan, Partial> e : candidates.entrySet()) {
            TimeSpan slice = e.getKey();
            if (span.encloses(slice)) {
                result.mergeFrom(e.getValue());
            } else if (span.overlaps(slice)) {
                throw new InexactReadException(slice, span);
            }
        }
        return result;
    }

    /**
     * How many times slices changed other than by an event at or after the newest instant: an older event, a
     * slice stored or merged in, sealing, eviction, folding. A reader that kept a window's partial read at
     * {@code t} may extend it with the slices from {@code t} on ({@link #mergeSlicesInto}) while this count
     * is what it was and the newest slice then started at or after {@code t} ({@link #newestStart}): every
     * change since is then a slice at or after {@code t}.
     */
    public long rewrites() {
        return rewrites;
    }

    /** The start of the newest slice; {@code Long.MIN_VALUE} if there is none. */
    public long newestStart() {
        return head == null ? Long.MIN_VALUE : head.start();
    }

    /**
     * Merges into {@code target} the slices that start in {@code [from, to)}: what a window read at
     * {@code to} holds beyond the same window read at {@code from}, if nothing before {@code from} changed.
     *
     * @return false, merging nothing, if one of them ends after {@code to}: {@code to} would cut it
     */
    public boolean mergeSlicesInto(Partial target, long from, long to) {
        if (to <= from) {
            return true;
        }
        NavigableMap<TimeSpan, Partial> between = slices.subMap(TimeSpan.instant(from), true, TimeSpan.instant(to), false);
        for (TimeSpan slice : between.keySet()) {
            if (slice.end() > to) {
                return false;
            }
        }
        for (Partial partial : between.values()) {
            target.mergeFrom(partial);
        }
        return true;
    }

    /**
     * Collapses the slices of every tile that ends at or before {@code boundary} into one whole-tile
     * slice, and rejects later events before it as late.
     *
     * @param boundary a tile boundary, normally {@code LatenessPolicy.sealBoundary(watermark)};
     *     {@code Long.MIN_VALUE} seals nothing
     */
    public void seal(long boundary) {
        if (boundary == Long.MIN_VALUE) {
            return; // nothing is before the beginning of time
        }
        if (!grid.isBoundary(boundary)) {
            throw new IllegalArgumentException("seal boundary " + boundary + " is not a tile boundary");
        }
        List<TimeSpan> parts = new ArrayList<>();
        for (TimeSpan slice : slices.headMap(TimeSpan.instant(boundary), false).keySet()) {
            if (slice.start() != Long.MIN_VALUE && slice.end() <= boundary && slice.length() != grid.tileMillis()) {
                parts.add(slice);
            }
        }
        for (TimeSpan part : parts) {
            Partial partial = slices.remove(part);
            slices.merge(grid.tileHolding(part.start()), partial, TileSet::mergeInto);
        }
        if (!parts.isEmpty()) {
            slicesReplaced();
        }
        sealedBefore = Math.max(sealedBefore, boundary);
    }

    /**
     * {@link FeaturePlan#maintain}'s work on this tile set: seals before {@code boundary} and drops the
     * slices a window of {@code reach} milliseconds read from now on cannot reach, or, for a lifetime
     * aggregation ({@code reach} {@link #LIFETIME}), folds them. Nothing to do when it ran at this boundary
     * already: an event before the boundary is late since then, so only {@link #put} and
     * {@link #mergeFrom} can bring a slice there. The speed layer maintains a key's tiles per event, and
     * the boundary moves once a tile.
     */
    void maintain(long boundary, long reach) {
        if (boundary == maintainedAt || boundary == Long.MIN_VALUE) {
            return;
        }
        if (reach == LIFETIME) {
            foldBefore(boundary);
        } else {
            seal(boundary);
            evictBefore(boundary - reach);
        }
        maintainedAt = boundary;
    }

    /** The reach of a lifetime aggregation for {@link #maintain}. */
    static final long LIFETIME = -1;

    /** Drops every slice that ends at or before {@code time}: no window read from now on reaches it. */
    public void evictBefore(long time) {
        if (slices.headMap(TimeSpan.instant(time), false).entrySet().removeIf(e -> e.getKey().end() <= time)) {
            slicesReplaced();
        }
    }

    /**
     * For an aggregation without windows (lifetime): folds every slice that ends at or before
     * {@code boundary} into one prefix slice {@code [-inf, boundary)}, so state stays bounded. Only valid if
     * no bounded window is ever read from this tile set, and no read happens before {@code boundary}.
     */
    public void foldBefore(long boundary) {
        if (boundary == Long.MIN_VALUE) {
            return;
        }
        seal(boundary);
        Partial prefix = op.newPartial();
        List<TimeSpan> folded = new ArrayList<>();
        for (Map.Entry<TimeSpan, Partial> e : slices.headMap(TimeSpan.instant(boundary), false).entrySet()) {
            if (e.getKey().end() <= boundary) {
                prefix.mergeFrom(e.getValue());
                folded.add(e.getKey());
            }
        }
        if (folded.isEmpty()) {
            return;
        }
        folded.forEach(slices::remove);
        slices.put(TimeSpan.shared(Long.MIN_VALUE, boundary), prefix);
        slicesReplaced();
    }

    @Override
    public String toString() {
        return op.specName() + " tiles " + slices;
    }
}
