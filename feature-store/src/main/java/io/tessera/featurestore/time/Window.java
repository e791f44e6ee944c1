package io.tessera.featurestore.time;

import java.time.Duration;
import java.util.Objects;

/**
 * The events a windowed feature aggregates when it is read at time {@code t}.
 *
 * <p>The contract (docs/architecture.md, "Time, windows and the cut between the layers"): a window of
 * length {@code W} read at {@code t} covers the events {@code e} with {@code floor_s(t - W) <= e.time < t}.
 * The start snaps down to a tile boundary, so a window holds between {@code W} and {@code W + s} of
 * history and is assembled from whole tiles at its start; the end is exact and exclusive, so an event
 * scored at {@code t} is not in its own aggregates, nor is any other event with the same timestamp,
 * whatever order they arrive in.
 */
public sealed interface Window permits Window.Trailing, Window.Lifetime {

    /** The span of event time this window covers when read at {@code readTime}. */
    TimeSpan spanAt(long readTime, TileGrid grid);

    /** How the window appears in feature names and explanations ({@code 24h}); empty for lifetime. */
    String label();

    /** The last {@code length} of event time, start snapped down to the tile grid. */
    record Trailing(Duration length, String label) implements Window {

        public Trailing {
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(label, "label");
            if (length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("window length must be positive: " + label);
            }
        }

        @Override
        public TimeSpan spanAt(long readTime, TileGrid grid) {
            return new TimeSpan(grid.floor(readTime - length.toMillis()), readTime);
        }

        public long millis() {
            return length.toMillis();
        }
    }

    /** Every event before the read time: the whole history of the key (an aggregation with no windows). */
    record Lifetime() implements Window {

        @Override
        public TimeSpan spanAt(long readTime, TileGrid grid) {
            return new TimeSpan(Long.MIN_VALUE, readTime);
        }

        @Override
        public String label() {
            return "";
        }
    }
}
