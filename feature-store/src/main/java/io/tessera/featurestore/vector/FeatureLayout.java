package io.tessera.featurestore.vector;

import io.tessera.featurestore.aggregate.Partial;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.spec.AggregationSpec;
import io.tessera.featurestore.spec.Encoding;
import io.tessera.featurestore.spec.EventFeatureSpec;
import io.tessera.featurestore.spec.Fingerprint;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.time.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The feature vector every layer uses: the ordered columns derived from the spec, and the assembly of a
 * vector for a key at a time {@code t}.
 *
 * <p>Order: the aggregations in spec order, each with its windows in spec order
 * ({@code <name>_<window>}, or {@code <name>} for a lifetime aggregate); then the event features in spec
 * order, a raw one as {@code <name>}, a one_hot one as {@code <name>=<category>} for each category of its
 * vocabulary in vocabulary order, then, for a learned vocabulary, {@code <name>=}{@value io.tessera.featurestore.spec.EventFeatureSpec#OTHER_CATEGORY}.
 * The model artifact stores these names and is checked against them.
 */
public final class FeatureLayout {

    private final List<FeatureColumn> columns;
    private final List<String> names;
    private final Fingerprint fingerprint;

    private FeatureLayout(List<FeatureColumn> columns, Fingerprint fingerprint) {
        this.columns = List.copyOf(columns);
        this.names = this.columns.stream().map(FeatureColumn::name).toList();
        this.fingerprint = fingerprint;
    }

    /**
     * @param vocabularies for each one_hot feature whose categories the spec does not fix, its learned
     *     vocabulary (by feature name), normally the model artifact's
     * @throws IllegalArgumentException if a one_hot feature has no vocabulary, or one that contradicts
     *     the spec's fixed categories
     */
    public static FeatureLayout of(PipelineSpec spec, Map<String, List<String>> vocabularies) {
        List<FeatureColumn> columns = new ArrayList<>();
        for (AggregationSpec aggregation : spec.features().aggregations()) {
            for (Window window : aggregation.readWindows()) {
                columns.add(new FeatureColumn(columns.size(), aggregation.columnName(window),
                        new FeatureColumn.Aggregate(aggregation.name(), aggregation.op(), window, aggregation.defaultValue())));
            }
        }
        for (EventFeatureSpec feature : spec.features().event()) {
            Optional<Object> fallback = spec.source().defaultOf(feature.of());
            if (feature.encode() == Encoding.RAW) {
                columns.add(new FeatureColumn(columns.size(), feature.name(),
                        new FeatureColumn.EventValue(feature.of(), fallback.map(FeatureLayout::asNumber).orElse(0.0))));
                continue;
            }
            List<String> categories = vocabulary(feature, vocabularies);
            for (String category : categories) {
                columns.add(new FeatureColumn(columns.size(), feature.name() + "=" + category,
                        new FeatureColumn.OneHot(feature.of(), category, fallback.map(d -> category.equals(d.toString())).orElse(false))));
            }
            if (feature.categories().isEmpty()) {
                // the spec fixes no categories, so values it never saw will come: they get a column of their own
                columns.add(new FeatureColumn(columns.size(), feature.name() + "=" + EventFeatureSpec.OTHER_CATEGORY,
                        new FeatureColumn.OtherCategory(feature.of(), new java.util.HashSet<>(categories),
                                fallback.map(d -> !categories.contains(d.toString())).orElse(false))));
            }
        }
        // Names alone miss a changed condition or input behind an unchanged name: the definitions go in too.
        // The defaults of the event features' fields change their values; they are named only when set, so
        // a spec without defaults keeps the fingerprint its models were trained under.
        Map<String, Object> eventDefaults = new java.util.LinkedHashMap<>();
        spec.features().event().forEach(f -> spec.source().defaultOf(f.of()).ifPresent(d -> eventDefaults.put(f.of(), d)));
        Fingerprint fingerprint = Fingerprint.of("tile=" + spec.features().tile() + ";" + spec.features().aggregations() + ";"
                + spec.features().event() + ";" + columns.stream().map(FeatureColumn::name).toList()
                + (eventDefaults.isEmpty() ? "" : ";defaults=" + eventDefaults)
                + spec.label().knownAfter().map(k -> ";label_known_after=" + k.toMillis()).orElse(""));
        return new FeatureLayout(columns, fingerprint);
    }

    private static List<String> vocabulary(EventFeatureSpec feature, Map<String, List<String>> vocabularies) {
        List<String> learned = vocabularies.get(feature.name());
        if (!feature.categories().isEmpty()) {
            if (learned != null && !learned.equals(feature.categories())) {
                throw new IllegalArgumentException("one_hot feature '" + feature.name() + "': the spec fixes categories "
                        + feature.categories() + " but the vocabulary given is " + learned);
            }
            return feature.categories();
        }
        if (learned == null) {
            throw new IllegalArgumentException("one_hot feature '" + feature.name() + "' needs a vocabulary: learn it at"
                    + " training time (Vocabulary.learn) and read it from the model artifact");
        }
        return learned;
    }

    public List<FeatureColumn> columns() {
        return columns;
    }

    /** Column names in order: what a model artifact's {@code features} must equal. */
    public List<String> names() {
        return names;
    }

    public int size() {
        return columns.size();
    }

    /**
     * What each column means: the definitions behind the columns and their names. A model trained on
     * another layout must not score these vectors, even when the names are the same.
     */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    /**
     * The vector for a key at time {@code readTime}.
     *
     * @param tiles the key's tiles
     * @param current the event being scored, whose fields fill the event columns; {@code null} when there
     *     is none (a read by key), and then those columns are {@code NaN}
     * @throws io.tessera.featurestore.tile.InexactReadException if a tile was sealed too early
     */
    public double[] assemble(EntityTiles tiles, long readTime, Event current) {
        double[] vector = new double[columns.size()];
        assembleInto(vector, tiles, readTime, current);
        return vector;
    }

    /** {@link #assemble} into a caller's array, to reuse it. */
    public void assembleInto(double[] vector, EntityTiles tiles, long readTime, Event current) {
        assembleInto(vector, (column, index, time) -> tiles.tiles(column.aggregation()).read(column.window(), time), readTime, current);
    }

    /**
     * The vector at {@code readTime} from any source of aggregates (the merged batch and realtime views),
     * into a caller's array.
     */
    public void assembleInto(double[] vector, AggregateReader aggregates, long readTime, Event current) {
        if (vector.length != columns.size()) {
            throw new IllegalArgumentException("vector has " + vector.length + " slots, the layout " + columns.size());
        }
        for (FeatureColumn column : columns) {
            vector[column.index()] = value(column, aggregates, readTime, current);
        }
    }

    private static double value(FeatureColumn column, AggregateReader aggregates, long readTime, Event current) {
        FeatureColumn.Source source = column.source();
        if (source instanceof FeatureColumn.Aggregate aggregate) {
            Partial partial = aggregates.read(aggregate, column.index(), readTime);
            return partial.isEmpty() ? aggregate.defaultValue() : partial.finish();
        }
        if (current == null) {
            return Double.NaN;
        }
        if (source instanceof FeatureColumn.EventValue value) {
            return current.has(value.field()) ? current.number(value.field()) : value.absent();
        }
        if (source instanceof FeatureColumn.OneHot oneHot) {
            if (!current.has(oneHot.field())) {
                return oneHot.absentMatches() ? 1.0 : 0.0;
            }
            return oneHot.category().equals(current.text(oneHot.field())) ? 1.0 : 0.0;
        }
        FeatureColumn.OtherCategory other = (FeatureColumn.OtherCategory) source;
        if (!current.has(other.field())) {
            return other.absentMatches() ? 1.0 : 0.0;
        }
        return other.known().contains(current.text(other.field())) ? 0.0 : 1.0;
    }

    private static double asNumber(Object value) {
        return value instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) value).doubleValue();
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
