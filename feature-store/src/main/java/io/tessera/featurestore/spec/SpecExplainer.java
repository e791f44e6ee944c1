package io.tessera.featurestore.spec;

import io.tessera.featurestore.aggregate.DistinctPartial;
import io.tessera.featurestore.aggregate.Op;
import io.tessera.featurestore.aggregate.Partial;
import io.tessera.featurestore.aggregate.PartialCodec;
import io.tessera.featurestore.time.Window;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.datasketches.cpc.CpcSketch;

/**
 * {@code platform spec explain}: the resolved feature vector every layer will use (index, name, type,
 * window, tile, op, input) and the state per key it implies.
 *
 * <p>State per key: a windowed aggregation keeps {@code ceil((longest window + max_lateness) / tile) + 1}
 * sealed tiles (reads happen no earlier than {@code watermark - max_lateness} and reach back one longest
 * window, start snapped to a tile); a lifetime aggregation keeps one folded partial. On top, the open
 * head of the stream (the last {@code max_lateness + tile}) is kept as one slice per distinct event time,
 * so that reads inside it are exact. Bytes are those of the binary encoding of partials.
 */
public final class SpecExplainer {

    private SpecExplainer() {
    }

    public static String explain(PipelineSpec spec) {
        StringBuilder out = new StringBuilder();
        String tile = DurationLiteral.format(spec.features().tile());
        String lateness = DurationLiteral.format(spec.source().maxLateness());
        out.append("pipeline ").append(spec.name()).append('\n');
        line(out, "entity", spec.entity().name() + ", keyed by " + spec.entity().key());
        line(out, "source", "topic " + spec.source().topic() + " (" + spec.source().format().specName() + "), event time from "
                + spec.source().timestamp().field() + " (" + spec.source().timestamp().format().specName()
                + "), max lateness " + lateness);
        line(out, "windows", "tiles of " + tile + " aligned to the epoch; a window W read at t covers events with"
                + " floor_" + tile + "(t - W) <= time < t" + (spec.features().pointInTime() == PointInTime.INGESTION_TIME
                        ? "; a training row sees only events ingested no later than its own (point_in_time: ingestion_time)" : ""));
        out.append('\n');
        vector(out, spec, tile);
        out.append('\n');
        state(out, spec, tile, lateness);
        out.append('\n');
        model(out, spec);
        return out.toString();
    }

    private static void vector(StringBuilder out, PipelineSpec spec, String tile) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"index", "name", "type", "window", "tile", "op", "input"});
        int index = 0;
        for (AggregationSpec aggregation : spec.features().aggregations()) {
            for (Window window : aggregation.readWindows()) {
                String label = window instanceof Window.Trailing trailing ? trailing.label() : "lifetime";
                rows.add(new String[] {Integer.toString(index++), aggregation.columnName(window), "double", label, tile,
                        aggregation.op().specName(), input(spec, aggregation)});
            }
        }
        List<String> learned = new ArrayList<>();
        for (EventFeatureSpec feature : spec.features().event()) {
            if (feature.encode() == Encoding.RAW) {
                rows.add(new String[] {Integer.toString(index++), feature.name(), "double", "-", "-", "event", feature.of()});
            } else if (!feature.categories().isEmpty()) {
                for (String category : feature.categories()) {
                    rows.add(new String[] {Integer.toString(index++), feature.name() + "=" + category, "double", "-", "-",
                            "one_hot", feature.of() + " == '" + category + "'"});
                }
            } else {
                rows.add(new String[] {index + "+", feature.name() + "=<category>", "double", "-", "-", "one_hot",
                        feature.of() + ": one column per category, then " + feature.name() + "=" + EventFeatureSpec.OTHER_CATEGORY});
                learned.add(feature.name() + " (up to " + feature.maxCategories() + " categories)");
            }
        }
        int fixed = index;
        out.append("feature vector: ").append(fixed).append(fixed == 1 ? " column" : " columns");
        if (!learned.isEmpty()) {
            out.append(", then the one_hot columns of ").append(String.join(", ", learned)).append(";\n")
                    .append("  those vocabularies are learned at training time (most frequent values first) and stored in")
                    .append(" the model artifact,\n  so every layer expands them the same way; a value outside the")
                    .append(" vocabulary sets the ").append(EventFeatureSpec.OTHER_CATEGORY).append(" column");
        }
        out.append('\n');
        table(out, rows);
        out.append("  a window with no event: count, sum and approx_distinct are 0; mean, min, max and last take their")
                .append(" default (0 unless set)\n");
    }

    private static String input(PipelineSpec spec, AggregationSpec aggregation) {
        String what = aggregation.of().orElse("events");
        String input = aggregation.where().map(w -> what + " where " + w).orElse(what);
        Duration delay = spec.labelDelay(aggregation);
        return delay.isZero() ? input : input + ", each event's from " + DurationLiteral.format(delay) + " after it (its label known)";
    }

    private static void state(StringBuilder out, PipelineSpec spec, String tile, String lateness) {
        long tileMs = spec.features().tile().toMillis();
        long latenessMs = spec.source().maxLateness().toMillis();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"aggregation", "op", "longest window", "tiles kept", "bytes/tile", "bytes"});
        long total = 0;
        long sketchTiles = 0;
        long eventBytes = 0;
        for (AggregationSpec aggregation : spec.features().aggregations()) {
            Window.Trailing longestWindow = aggregation.windows().stream()
                    .max(Comparator.comparingLong(Window.Trailing::millis)).orElse(null);
            long longest = longestWindow == null ? -1 : longestWindow.millis();
            long tiles = longest < 0 ? 1 : ceilDiv(longest + latenessMs, tileMs) + 1;
            int bytes = typicalBytes(aggregation.op());
            total += tiles * bytes;
            eventBytes += bytes;
            if (aggregation.op() == Op.APPROX_DISTINCT) {
                sketchTiles += tiles;
            }
            rows.add(new String[] {aggregation.name(), aggregation.op().specName(),
                    longestWindow == null ? "lifetime" : longestWindow.label(),
                    longest < 0 ? "1 (folded)" : Long.toString(tiles), Integer.toString(bytes), format(tiles * bytes)});
        }
        out.append("state per key (sealed tiles; bytes of the binary encoding, a few events per tile):\n");
        table(out, rows);
        out.append("  total about ").append(format(total)).append(" bytes per key in sealed tiles");
        if (sketchTiles > 0) {
            long max = (long) maxDistinctBytes() * sketchTiles;
            out.append("; approx_distinct tiles grow with distinct values, up to ").append(format(maxDistinctBytes()))
                    .append(" bytes each (").append(format(max)).append(" in all)");
        }
        out.append("\n  plus the open head, the last ").append(DurationLiteral.format(Duration.ofMillis(latenessMs + tileMs)))
                .append(" (max lateness ").append(lateness).append(" + one tile ").append(tile)
                .append("): one slice per distinct event time, about ").append(format(eventBytes))
                .append(" bytes per event time\n");
        List<String> readingLabel = spec.features().aggregations().stream().filter(a -> !spec.labelDelay(a).isZero())
                .map(AggregationSpec::name).toList();
        if (!readingLabel.isEmpty()) {
            // an event enters these at time + known_after: ahead of the key's newest event, so no tile is sealed over it until then
            String knownAfter = DurationLiteral.format(spec.label().knownAfter().orElseThrow());
            out.append("  plus, in ").append(String.join(", ", readingLabel)).append(" (they read the label ").append(spec.label().field())
                    .append("), each event waits ").append(knownAfter).append(" for its label as a slice of its own: one slice per")
                    .append(" distinct event time of the last ").append(knownAfter).append(" per aggregation\n");
        }
    }

    private static void model(StringBuilder out, PipelineSpec spec) {
        ModelSpec model = spec.model();
        String label = spec.label().field() + spec.label().positive().map(p -> " (positive when " + p + ")").orElse("")
                + spec.label().knownAfter().map(k -> ", known " + DurationLiteral.format(k) + " after its event").orElse("");
        String params = model.params().isEmpty() ? "Spark defaults" : model.params().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"));
        line(out, "model", model.task().specName() + " of " + label + " with " + model.algorithm().specName() + " " + params);
        line(out, "evaluation", model.metric().specName() + " (" + (model.metric().higherIsBetter() ? "higher" : "lower")
                + " is better) on the latest " + percent(model.holdout()) + " of event time; promote if " + model.promoteIf());
        line(out, "schedule", spec.schedule().retrain().map(c -> "retrain at cron \"" + c + "\" (UTC)").orElse("no scheduled retraining")
                + spec.schedule().publish().map(c -> "; batch view refreshed at cron \"" + c + "\"").orElse("")
                + spec.schedule().maintain().map(c -> "; lake maintenance at cron \"" + c + "\"").orElse(""));
        line(out, "serving", "view " + spec.serving().view());
    }

    /** Encoded size of a partial over a few typical events (five numbers, five distinct short strings). */
    private static int typicalBytes(Op op) {
        Partial partial = op.newPartial();
        for (int i = 0; i < 5; i++) {
            long time = 1_600_000_000_000L + i;
            if (partial instanceof Partial.CountsEvents counter) {
                counter.add(time);
            } else if (partial instanceof Partial.TakesNumbers numbers) {
                numbers.add(12.34 * (i + 1), time);
            } else if (partial instanceof Partial.TakesValues values) {
                values.add("value" + i, time);
            }
        }
        return PartialCodec.encode(partial).length;
    }

    private static int maxDistinctBytes() {
        return CpcSketch.getMaxSerializedBytes(DistinctPartial.LG_K) + 2;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static String percent(double fraction) {
        return new BigDecimal(Double.toString(fraction * 100)).stripTrailingZeros().toPlainString() + "%";
    }

    private static String format(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static void line(StringBuilder out, String label, String text) {
        out.append(String.format(Locale.ROOT, "%-11s%s%n", label, text));
    }

    private static void table(StringBuilder out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
