package io.tessera.speed.state;

import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.tile.EntityTilesCodec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.speed.job.SpecText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Checkpoints a {@link KeyPartials} in the feature-store's own encoding of tiles
 * ({@link EntityTilesCodec}), so state is the same bytes as the realtime rows. Layout: view version,
 * cut (generation, checkpoint), newest scored time, the rows (generation, epoch, length, tiles), then the
 * recent event ids (id, event time).
 * The heap state backend keeps live objects and serializes only at checkpoints (and copies a key
 * touched during an asynchronous snapshot), so the per-event path never pays for it.
 *
 * <p>State written under one plan cannot be read under another: the snapshot records the plan's
 * fingerprint and a restore under a different plan is refused (start the job without state).
 */
public final class KeyPartialsSerializer extends TypeSerializer<KeyPartials> {

    private static final long serialVersionUID = 1L;

    private final SpecText spec;
    private transient FeaturePlan plan;
    private transient DataOutputSerializer scratch;

    public KeyPartialsSerializer(SpecText spec) {
        this.spec = spec;
    }

    private KeyPartialsSerializer(SpecText spec, FeaturePlan plan) {
        this.spec = spec;
        this.plan = plan;
    }

    private FeaturePlan plan() {
        if (plan == null) {
            plan = FeaturePlan.of(spec.parse());
        }
        return plan;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<KeyPartials> duplicate() {
        // Flink duplicates the serializer for every snapshot's writer: a plan is immutable, share it instead of parsing the spec again
        return new KeyPartialsSerializer(spec, plan);
    }

    @Override
    public KeyPartials createInstance() {
        return KeyPartials.empty(plan());
    }

    /**
     * Not a deep copy: {@link KeyPartials#handOver}. Flink copies state only for its heap backend's copy on
     * write, where the original is left to a snapshot that reads what {@link #serialize} writes.
     */
    @Override
    public KeyPartials copy(KeyPartials from) {
        return from.handOver(plan());
    }

    @Override
    public KeyPartials copy(KeyPartials from, KeyPartials reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    /**
     * Writes the state to a buffer of this serializer first, then to {@code out} at once: a checkpoint's
     * stream takes each small write through several layers, and a key's state is a few dozen of them.
     * Flink gives each thread its own serializer ({@link #duplicate}), so the buffer is never shared.
     */
    @Override
    public void serialize(KeyPartials state, DataOutputView out) throws IOException {
        if (scratch == null) {
            scratch = new DataOutputSerializer(4096);
        }
        scratch.clear();
        write(state, scratch);
        out.write(scratch.getSharedBuffer(), 0, scratch.length());
    }

    private void write(KeyPartials state, DataOutputView out) throws IOException {
        out.writeLong(state.viewVersion());
        out.writeLong(state.cut().generation());
        out.writeLong(state.cut().checkpoint());
        out.writeLong(state.newestScoredTime());
        List<KeyPartials.StoredRow> rows = state.storedRows(plan());
        out.writeInt(rows.size());
        for (KeyPartials.StoredRow row : rows) {
            out.writeLong(row.generation());
            out.writeLong(row.epoch());
            out.writeInt(row.tiles().length);
            out.write(row.tiles());
        }
        out.writeInt(state.recentIds().size());
        for (java.util.Map.Entry<String, Long> id : state.recentIds().entrySet()) {
            out.writeUTF(id.getKey());
            out.writeLong(id.getValue());
        }
    }

    @Override
    public KeyPartials deserialize(DataInputView in) throws IOException {
        long viewVersion = in.readLong();
        ServingCut cut = new ServingCut(in.readLong(), in.readLong());
        long newestScored = in.readLong();
        int count = in.readInt();
        List<KeyPartials.StoredRow> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long generation = in.readLong();
            long epoch = in.readLong();
            byte[] tiles = new byte[in.readInt()];
            in.readFully(tiles);
            rows.add(new KeyPartials.StoredRow(generation, epoch, tiles));
        }
        int ids = in.readInt();
        java.util.Map<String, Long> recentIds = new java.util.HashMap<>(ids);
        for (int i = 0; i < ids; i++) {
            recentIds.put(in.readUTF(), in.readLong());
        }
        return new KeyPartials(viewVersion, cut, rows, newestScored, recentIds, plan());
    }

    @Override
    public KeyPartials deserialize(KeyPartials reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyPartialsSerializer that && that.spec.equals(spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<KeyPartials> snapshotConfiguration() {
        return new Snapshot(spec);
    }

    /** Records the spec, so that a restore rebuilds the same plan, and refuses state of another plan. */
    public static final class Snapshot implements TypeSerializerSnapshot<KeyPartials> {

        private SpecText spec;

        /** For Flink's restore, which fills it with {@link #readSnapshot}. */
        public Snapshot() {
        }

        Snapshot(SpecText spec) {
            this.spec = spec;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(spec.origin());
            byte[] yaml = spec.yaml().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(yaml.length);
            out.write(yaml);
        }

        @Override
        public void readSnapshot(int version, DataInputView in, ClassLoader classLoader) throws IOException {
            String origin = in.readUTF();
            byte[] yaml = new byte[in.readInt()];
            in.readFully(yaml);
            spec = new SpecText(new String(yaml, java.nio.charset.StandardCharsets.UTF_8), origin);
        }

        @Override
        public TypeSerializer<KeyPartials> restoreSerializer() {
            return new KeyPartialsSerializer(spec);
        }

        @Override
        public TypeSerializerSchemaCompatibility<KeyPartials> resolveSchemaCompatibility(TypeSerializerSnapshot<KeyPartials> old) {
            if (old instanceof Snapshot previous
                    && FeaturePlan.of(previous.spec.parse()).fingerprint().equals(FeaturePlan.of(spec.parse()).fingerprint())) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
