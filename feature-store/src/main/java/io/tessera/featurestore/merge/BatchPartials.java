package io.tessera.featurestore.merge;

import io.tessera.featurestore.aggregate.BinaryWriter;
import io.tessera.featurestore.aggregate.Op;
import io.tessera.featurestore.aggregate.Partial;
import io.tessera.featurestore.aggregate.PartialCodec;
import io.tessera.featurestore.aggregate.PartialFormatException;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.tile.InexactReadException;
import io.tessera.featurestore.tile.TileSet;
import io.tessera.featurestore.time.TileGrid;
import io.tessera.featurestore.time.TimeSpan;
import io.tessera.featurestore.time.Window;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One key's batch view: the partials of exactly the key's events in lake snapshot S, whatever their
 * event time, laid out so that a read costs at most two stored partials per window.
 *
 * <p><b>What is kept.</b> The view answers reads at any time {@code t >= horizon}, where the horizon is
 * the key's seal boundary ({@code LatenessPolicy.sealBoundary} of its newest event): the speed layer
 * scores an event only if it is within {@code max_lateness} of the key's newest event, batch events
 * included, and serving reads now. Before the horizon only whole tiles are kept; from it on, every slice.
 * A window read at {@code t >= horizon} covers {@code [floor_s(t - W), t)}: whole tiles from its start to
 * the horizon, then slices. So the view stores
 * <ul>
 *   <li>for each tile before the horizon that a window can still reach, the merge of it and every later
 *       tile before the horizon (a suffix merge): the sealed part of any window is one of them;</li>
 *   <li>each slice from the horizon on, and the merge of it and every later slice: a read after the
 *       newest slice takes one of those, a read among the slices merges the few it covers.</li>
 * </ul>
 * A lifetime aggregation keeps one partial for everything before the horizon.
 *
 * <p><b>Layout</b>, version {@value #VERSION}, big-endian, fixed-width so a read can binary-search
 * without decoding: a header (byte version, 8 bytes of the plan fingerprint, int64 newest event time,
 * int64 horizon, int32 aggregation count), then per aggregation in plan order: byte op code; int32 m,
 * m int64 tile starts ({@code Long.MIN_VALUE} for a lifetime prefix), m int32 partial ends; int32 h,
 * h int64 slice starts, h int64 slice ends, h int32 slice partial ends, h int32 suffix partial ends;
 * int32 data length and the data: the m suffix partials, the h slice partials and the h slice suffix
 * partials ({@link PartialCodec}), each entry's end relative to the start of the data.
 *
 * <p>Instances are immutable views over the bytes; reads decode only the partials they use, each once: a
 * decoded partial is kept for the next reads (the speed layer reads one key's view for every event of the
 * key, and decoding a CPC sketch costs more than merging it). Reads only merge from those partials, never
 * into them, so they stay as decoded; safe to read from several threads.
 */
public final class BatchPartials {

    public static final byte VERSION = 1;

    private final FeaturePlan plan;
    private final byte[] bytes;
    private final long watermark;
    private final long horizon;
    private final Section[] sections;
    /** The partials decoded so far, by entry number ({@link Section#first} onwards, table after table). */
    private final AtomicReferenceArray<Partial> decoded;

    /**
     * Where one aggregation's entries and data lie in {@link #bytes}; {@code first} is the number of its first
     * entry among all the view's (its sealed, slice and suffix entries follow in that order).
     */
    private record Section(Op op, int sealed, int sealedStarts, int sealedEnds, int head, int headStarts, int headEnds,
            int sliceEnds, int suffixEnds, int data, int first) {

        int entries() {
            return sealed + 2 * head;
        }
    }

    private BatchPartials(FeaturePlan plan, byte[] bytes, long watermark, long horizon, Section[] sections) {
        this.plan = plan;
        this.bytes = bytes;
        this.watermark = watermark;
        this.horizon = horizon;
        this.sections = sections;
        Section last = sections.length == 0 ? null : sections[sections.length - 1];
        this.decoded = new AtomicReferenceArray<>(last == null ? 0 : last.first() + last.entries());
    }

    /** The key's newest event time in S. */
    public long watermark() {
        return watermark;
    }

    /** The earliest read time this view answers exactly; {@code Long.MIN_VALUE} if it seals nothing. */
    public long horizon() {
        return horizon;
    }

    /** The encoded view, as stored. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Merges into {@code target} the batch partials of aggregation {@code aggregation} (plan index) over
     * {@code window} read at {@code readTime}.
     *
     * @throws BeforeHorizonException if {@code readTime} is before the horizon
     */
    public void readInto(Partial target, int aggregation, Window window, long readTime) {
        if (readTime < horizon) {
            throw new BeforeHorizonException(readTime, horizon);
        }
        Section s = sections[aggregation];
        TimeSpan span = window.spanAt(readTime, plan.grid());
        if (s.sealed > 0 && span.start() < horizon) {
            int first = firstAtOrAfter(s.sealedStarts, s.sealed, span.start());
            if (first < s.sealed) {
                merge(target, s, s.sealedEnds, first);
            }
        }
        if (s.head == 0) {
            return;
        }
        int j = firstAtOrAfter(s.headStarts, s.head, Math.max(span.start(), horizon));
        if (readTime >= longAt(s.headEnds, s.head - 1)) {
            if (j < s.head) {
                merge(target, s, s.suffixEnds, j);
            }
            return;
        }
        for (; j < s.head && longAt(s.headStarts, j) < readTime; j++) {
            long end = longAt(s.headEnds, j);
            if (end > readTime) {
                throw new InexactReadException(new TimeSpan(longAt(s.headStarts, j), end), span);
            }
            merge(target, s, s.sliceEnds, j);
        }
    }

    private void merge(Partial target, Section s, int endsTable, int entry) {
        int number = s.first + entry + (endsTable == s.sealedEnds ? 0 : endsTable == s.sliceEnds ? s.sealed : s.sealed + s.head);
        Partial partial = decoded.getAcquire(number);
        if (partial == null) {
            int start = entry == 0 ? startOf(s, endsTable) : intAt(endsTable, entry - 1);
            int end = intAt(endsTable, entry);
            partial = PartialCodec.decode(bytes, s.data + start, end - start);
            decoded.setRelease(number, partial);   // two threads may both decode it: equal partials, either is fine
        }
        target.mergeFrom(partial);
    }

    /** The data offset where the first entry of an ends table begins: entries are stored table after table. */
    private int startOf(Section s, int endsTable) {
        if (endsTable == s.sealedEnds) {
            return 0;
        }
        if (endsTable == s.sliceEnds) {
            return s.sealed == 0 ? 0 : intAt(s.sealedEnds, s.sealed - 1);
        }
        return intAt(s.sliceEnds, s.head - 1);
    }

    /** The index of the first entry of a sorted int64 table whose value is {@code >= time} (count if none). */
    private int firstAtOrAfter(int table, int count, long time) {
        int low = 0;
        int high = count;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (longAt(table, mid) < time) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private long longAt(int table, int index) {
        int at = table + index * Long.BYTES;
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = (value << 8) | (bytes[at + i] & 0xFF);
        }
        return value;
    }

    private int intAt(int table, int index) {
        int at = table + index * Integer.BYTES;
        return ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
    }

    /**
     * The batch view of a key whose tiles hold exactly its events in S (as replayed by the batch layer;
     * sealed or not, the result is the same).
     *
     * @throws IllegalArgumentException if a windowed aggregation holds a folded prefix, or a slice
     *     straddles the horizon: tiles maintained beyond the key's seal boundary
     */
    public static byte[] encode(FeaturePlan plan, EntityTiles tiles) {
        long horizon = plan.lateness().sealBoundary(tiles.watermark());
        BinaryWriter out = new BinaryWriter(256);
        out.writeByte(VERSION);
        EntityTilesCodec.writePlanStamp(plan, out);
        out.writeLong(tiles.watermark());
        out.writeLong(horizon);
        out.writeInt(plan.aggregations().size());
        for (FeaturePlan.Aggregation aggregation : plan.aggregations()) {
            writeSection(out, plan.grid(), aggregation, tiles.tiles(aggregation.name()), horizon);
        }
        return out.toByteArray();
    }

    private static void writeSection(BinaryWriter out, TileGrid grid, FeaturePlan.Aggregation aggregation, TileSet set, long horizon) {
        Op op = aggregation.op();
        Long reach = aggregation.spec().windows().stream().map(w -> grid.floor(saturatedMinus(horizon, w.millis())))
                .min(Long::compare).orElse(null);
        // before the horizon: whole tiles (a lifetime aggregation: one prefix), merged per tile
        java.util.TreeMap<Long, Partial> sealed = new java.util.TreeMap<>();
        List<Map.Entry<TimeSpan, Partial>> head = new ArrayList<>();
        for (Map.Entry<TimeSpan, Partial> e : set.slices().entrySet()) {
            TimeSpan slice = e.getKey();
            if (slice.start() >= horizon) {
                head.add(e);
                continue;
            }
            if (slice.end() > horizon) {
                throw new IllegalArgumentException("slice " + slice + " of " + aggregation.name() + " straddles the horizon " + horizon);
            }
            long tile;
            if (reach == null) {
                tile = Long.MIN_VALUE;
            } else if (slice.start() == Long.MIN_VALUE) {
                throw new IllegalArgumentException("windowed aggregation " + aggregation.name() + " holds a folded prefix " + slice);
            } else {
                tile = grid.floor(slice.start());
                if (tile < reach) {
                    continue;   // no read at or after the horizon reaches it
                }
            }
            sealed.computeIfAbsent(tile, t -> op.newPartial()).mergeFrom(e.getValue());
        }
        List<Long> sealedStarts = new ArrayList<>(sealed.keySet());
        List<Partial> sealedSuffixes = suffixMerges(op, new ArrayList<>(sealed.values()));
        List<Partial> headSlices = head.stream().map(Map.Entry::getValue).toList();
        List<Partial> headSuffixes = suffixMerges(op, headSlices);

        BinaryWriter data = new BinaryWriter(128);
        int[] sealedEnds = appendAll(data, sealedSuffixes);
        int[] sliceEnds = appendAll(data, headSlices);
        int[] suffixEnds = appendAll(data, headSuffixes);

        out.writeByte(op.code());
        out.writeInt(sealedStarts.size());
        sealedStarts.forEach(out::writeLong);
        Arrays.stream(sealedEnds).forEach(out::writeInt);
        out.writeInt(head.size());
        head.forEach(e -> out.writeLong(e.getKey().start()));
        head.forEach(e -> out.writeLong(e.getKey().end()));
        Arrays.stream(sliceEnds).forEach(out::writeInt);
        Arrays.stream(suffixEnds).forEach(out::writeInt);
        byte[] bytes = data.toByteArray();
        out.writeInt(bytes.length);
        out.writeBytes(bytes);
    }

    private static long saturatedMinus(long time, long millis) {
        return time < Long.MIN_VALUE + millis ? Long.MIN_VALUE + millis : time - millis;
    }

    /** {@code result[i]} = merge of {@code partials[i..]}. */
    private static List<Partial> suffixMerges(Op op, List<Partial> partials) {
        Partial[] suffixes = new Partial[partials.size()];
        Partial running = op.newPartial();
        for (int i = partials.size() - 1; i >= 0; i--) {
            running.mergeFrom(partials.get(i));
            suffixes[i] = running.copy();
        }
        return List.of(suffixes);
    }

    /** Appends each partial's encoding; returns each one's end offset. */
    private static int[] appendAll(BinaryWriter data, List<Partial> partials) {
        int[] ends = new int[partials.size()];
        for (int i = 0; i < ends.length; i++) {
            PartialCodec.encodeInto(partials.get(i), data);
            ends[i] = data.size();
        }
        return ends;
    }

    /**
     * Reads the header and the section tables of a stored view; partials are decoded when read.
     *
     * @throws io.tessera.featurestore.tile.PlanMismatchException if the view was written under another plan
     * @throws PartialFormatException if the bytes are not a batch view of this version
     */
    public static BatchPartials decode(FeaturePlan plan, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new PartialFormatException("unsupported batch view format version " + version + " (this build reads " + VERSION + ")");
            }
            byte[] prefix = new byte[EntityTilesCodec.PLAN_PREFIX];
            in.get(prefix);
            EntityTilesCodec.requirePlan(plan, prefix, "this batch view's partials");
            long watermark = in.getLong();
            long horizon = in.getLong();
            int count = in.getInt();
            if (count != plan.aggregations().size()) {
                throw new PartialFormatException("batch view holds " + count + " aggregations, the plan " + plan.aggregations().size());
            }
            Section[] sections = new Section[count];
            int first = 0;
            for (int a = 0; a < count; a++) {
                sections[a] = readSection(in, plan.aggregations().get(a), first);
                first += sections[a].entries();
            }
            if (in.hasRemaining()) {
                throw new PartialFormatException(in.remaining() + " trailing bytes after a batch view");
            }
            return new BatchPartials(plan, bytes, watermark, horizon, sections);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new PartialFormatException("truncated batch view (" + bytes.length + " bytes)");
        }
    }

    private static Section readSection(ByteBuffer in, FeaturePlan.Aggregation aggregation, int first) {
        byte code = in.get();
        if (code != aggregation.op().code()) {
            throw new PartialFormatException("aggregation " + aggregation.name() + " is " + aggregation.op().specName()
                    + ", the batch view holds op code " + code);
        }
        int sealed = entries(in, Long.BYTES + Integer.BYTES);
        int sealedStarts = skip(in, sealed * Long.BYTES);
        int sealedEnds = skip(in, sealed * Integer.BYTES);
        int head = entries(in, 2 * Long.BYTES + 2 * Integer.BYTES);
        int headStarts = skip(in, head * Long.BYTES);
        int headEnds = skip(in, head * Long.BYTES);
        int sliceEnds = skip(in, head * Integer.BYTES);
        int suffixEnds = skip(in, head * Integer.BYTES);
        int length = entries(in, 1);
        int data = skip(in, length);
        Section section = new Section(aggregation.op(), sealed, sealedStarts, sealedEnds, head, headStarts, headEnds, sliceEnds,
                suffixEnds, data, first);
        // entries follow each other through the data, and end where it ends: a read never leaves the record
        int previous = 0;
        for (int[] table : new int[][] {{sealedEnds, sealed}, {sliceEnds, head}, {suffixEnds, head}}) {
            for (int i = 0; i < table[1]; i++) {
                int end = intOf(in, table[0], i);
                if (end < previous || end > length) {
                    throw new PartialFormatException("aggregation " + aggregation.name() + ": entry ends at " + end + " after " + previous
                            + " in " + length + " data bytes");
                }
                previous = end;
            }
        }
        if (previous != length) {
            throw new PartialFormatException("aggregation " + aggregation.name() + ": entries end at " + previous + " of " + length
                    + " data bytes");
        }
        return section;
    }

    private static int entries(ByteBuffer in, int bytesEach) {
        int n = in.getInt();
        if (n < 0 || (long) n * bytesEach > in.remaining()) {
            throw new PartialFormatException("batch view claims " + n + " entries in " + in.remaining() + " bytes");
        }
        return n;
    }

    private static int skip(ByteBuffer in, int length) {
        int at = in.position();
        in.position(at + length);
        return at;
    }

    private static int intOf(ByteBuffer in, int table, int index) {
        return in.getInt(table + index * Integer.BYTES);
    }
}
