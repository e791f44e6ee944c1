package io.tessera.featurestore.contract;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a served value comes from (docs/architecture.md, "Provenance everywhere"): the model that scored
 * it, the batch view and lake snapshot it stands on, the newest event time it reflects and the layer
 * that computed it.
 *
 * @param model the model that produced a score; empty for features without a score
 * @param viewVersion the batch view the value was computed against
 * @param snapshot the lake snapshot S of that view
 * @param eventTime the newest event time reflected, UTC epoch milliseconds
 * @param layer which layer computed the value
 */
public record Provenance(Optional<ModelRef> model, long viewVersion, SnapshotRef snapshot, long eventTime, Layer layer) {

    /** A model as a score names it. */
    public record ModelRef(String name, long version, Role role) {
        public ModelRef {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(role, "role");
        }

        @Override
        public String toString() {
            return name + " v" + version + " (" + role.name().toLowerCase() + ")";
        }
    }

    /** Whether a model's scores are the ones served (champion) or recorded beside them (challenger). */
    public enum Role {
        CHAMPION, CHALLENGER;

        private final String label = name().toLowerCase(java.util.Locale.ROOT);

        /** How the role is written in the serving tables, the lake and JSON. */
        public String label() {
            return label;
        }

        /** @throws IllegalArgumentException if {@code label} names no role */
        public static Role ofLabel(String label) {
            for (Role role : values()) {
                if (role.label.equals(label)) {
                    return role;
                }
            }
            throw new IllegalArgumentException("no model role '" + label + "' (have champion, challenger)");
        }
    }

    /** The layer that computed a value. */
    public enum Layer { BATCH, REALTIME }

    public Provenance {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(layer, "layer");
    }
}
