package io.tessera.featurestore.tile;

import io.tessera.featurestore.aggregate.BinaryReader;
import io.tessera.featurestore.aggregate.BinaryWriter;
import io.tessera.featurestore.aggregate.Partial;
import io.tessera.featurestore.aggregate.PartialCodec;
import io.tessera.featurestore.aggregate.PartialFormatException;
import io.tessera.featurestore.time.TimeSpan;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The binary form of one key's {@link EntityTiles}: what a realtime row holds (the partials of the events
 * the speed layer processed for the key in one epoch). Layout, version {@value #VERSION}, big-endian:
 *
 * <pre>
 * byte     version = 1
 * 8 bytes  the first 8 bytes of the plan's fingerprint ({@link FeaturePlan#fingerprint()})
 * int64    watermark (the newest event time in these tiles; Long.MIN_VALUE if none)
 * varint   n aggregations, in plan order; each:
 *   byte     op code
 *   varint   m slices, in time order; each:
 *     int64    slice start (Long.MIN_VALUE for a folded prefix)
 *     int64    slice end
 *     varint   length of the partial, then the partial ({@link PartialCodec})
 * </pre>
 *
 * Decoding distrusts its input: version, plan, ops and lengths are checked, and a mismatch is a
 * {@link PartialFormatException} or, for another plan, a {@link PlanMismatchException}.
 */
public final class EntityTilesCodec {

    public static final byte VERSION = 1;
    public static final int PLAN_PREFIX = 8;

    private EntityTilesCodec() {
    }

    public static byte[] encode(FeaturePlan plan, EntityTiles tiles) {
        int sizeHint = 32;
        for (FeaturePlan.Aggregation aggregation : plan.aggregations()) {
            sizeHint += tiles.tiles(aggregation.name()).encodedSizeHint();
        }
        BinaryWriter out = new BinaryWriter(sizeHint);
        out.writeByte(VERSION);
        writePlanStamp(plan, out);
        out.writeLong(tiles.watermark());
        out.writeVarLong(plan.aggregations().size());
        // the speed layer encodes a key's row per event: one scratch writer for the length-prefixed partials
        BinaryWriter partialBytes = new BinaryWriter(64);
        for (FeaturePlan.Aggregation aggregation : plan.aggregations()) {
            out.writeByte(aggregation.op().code());
            tiles.tiles(aggregation.name()).writeSlices(out, partialBytes);
        }
        return out.toByteArray();
    }

    /** One slice as the layout above has it; {@link TileSet} keeps the encoding of all but its newest. */
    static void writeSlice(TimeSpan slice, Partial partial, BinaryWriter out, BinaryWriter partialBytes) {
        out.writeLong(slice.start());
        out.writeLong(slice.end());
        PartialCodec.encodeInto(partial, partialBytes);
        out.writeVarLong(partialBytes.size());
        out.drain(partialBytes);
    }

    /**
     * @throws PlanMismatchException if the bytes were written under another plan
     * @throws PartialFormatException if they are not tiles of this version
     */
    public static EntityTiles decode(FeaturePlan plan, byte[] bytes) {
        EntityTiles tiles = plan.newEntity();
        decodeInto(plan, bytes, tiles);
        return tiles;
    }

    /**
     * Decodes the tiles and merges them into {@code into}: how a reader gathers a key's realtime rows into
     * one set of tiles without a copy per row.
     *
     * @throws PlanMismatchException if the bytes were written under another plan
     * @throws PartialFormatException if they are not tiles of this version ({@code into} may then hold
     *     part of them: discard it)
     */
    public static void decodeInto(FeaturePlan plan, byte[] bytes, EntityTiles into) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new PartialFormatException("unsupported tiles format version " + version + " (this build reads " + VERSION + ")");
            }
            byte[] prefix = new byte[PLAN_PREFIX];
            in.get(prefix);
            requirePlan(plan, prefix, "these tiles");
            EntityTiles tiles = into;
            long watermark = in.getLong();
            int aggregations = BinaryReader.count(in, 2, "tiles");
            if (aggregations != plan.aggregations().size()) {
                throw new PartialFormatException("tiles hold " + aggregations + " aggregations, the plan " + plan.aggregations().size());
            }
            for (FeaturePlan.Aggregation aggregation : plan.aggregations()) {
                byte code = in.get();
                if (code != aggregation.op().code()) {
                    throw new PartialFormatException("aggregation " + aggregation.name() + " is " + aggregation.op().specName()
                            + ", the tiles hold op code " + code);
                }
                TileSet set = tiles.tiles(aggregation.name());
                int slices = BinaryReader.count(in, 17, "aggregation " + aggregation.name());
                for (int i = 0; i < slices; i++) {
                    TimeSpan slice = TimeSpan.shared(in.getLong(), in.getLong());
                    int length = BinaryReader.count(in, 1, "a partial");
                    set.put(slice, PartialCodec.decode(bytes, in.position(), length));
                    in.position(in.position() + length);
                }
            }
            if (in.hasRemaining()) {
                throw new PartialFormatException(in.remaining() + " trailing bytes after a key's tiles");
            }
            if (watermark != Long.MIN_VALUE) {
                tiles.advanceWatermark(watermark);
            }
        } catch (BufferUnderflowException e) {
            throw new PartialFormatException("truncated tiles (" + bytes.length + " bytes)");
        } catch (IllegalArgumentException e) {
            if (e instanceof PartialFormatException p) {
                throw p;
            }
            throw new PartialFormatException("corrupt tiles: " + e.getMessage());
        }
    }

    /** Writes the plan's stamp, which every stored partial layout begins with: the first bytes of its fingerprint. */
    public static void writePlanStamp(FeaturePlan plan, BinaryWriter out) {
        out.writeBytes(plan.stamp());
    }

    /** @throws PlanMismatchException if {@code prefix} is not {@code plan}'s */
    public static void requirePlan(FeaturePlan plan, byte[] prefix, String what) {
        if (!Arrays.equals(prefix, plan.stamp())) {
            throw new PlanMismatchException(what + " were written under another feature plan (plan "
                    + java.util.HexFormat.of().formatHex(prefix) + ", this spec's " + plan.fingerprint().shortHex().substring(0, 2 * PLAN_PREFIX)
                    + "): the spec's aggregations, tile or lateness changed since");
        }
    }

}
