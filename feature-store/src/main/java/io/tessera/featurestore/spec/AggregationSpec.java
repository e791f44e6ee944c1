package io.tessera.featurestore.spec;

import io.tessera.featurestore.aggregate.Op;
import io.tessera.featurestore.time.Window;
import java.util.List;
import java.util.Optional;

/**
 * An aggregate over an entity's past events.
 *
 * @param of the field the op reads; empty for {@code count}
 * @param where a CEL condition over the fields; only matching events are aggregated
 * @param windows the windows to compute it over; empty means the whole history ({@link Window.Lifetime})
 * @param defaultValue the feature's value when its window holds no event and the op has no value then
 *     (mean, min, max, last); {@code 0} unless the spec says otherwise
 */
public record AggregationSpec(
        String name,
        Op op,
        Optional<String> of,
        Optional<String> where,
        List<Window.Trailing> windows,
        double defaultValue) {

    public AggregationSpec {
        windows = List.copyOf(windows);
    }

    /** The windows as read: the listed ones, or the lifetime window if none is listed. */
    public List<Window> readWindows() {
        return windows.isEmpty() ? List.of(new Window.Lifetime()) : List.copyOf(windows);
    }

    /** The vector column of one window: {@code amt_sum_24h}, or the bare name for a lifetime aggregate. */
    public String columnName(Window window) {
        return window instanceof Window.Trailing trailing ? name + "_" + trailing.label() : name;
    }
}
