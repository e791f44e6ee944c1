package io.tessera.featurestore.spec;

import io.tessera.featurestore.aggregate.Op;
import io.tessera.featurestore.expr.Condition;
import io.tessera.featurestore.expr.ExpressionEnvironment;
import io.tessera.featurestore.expr.ExpressionIssue;
import io.tessera.featurestore.expr.InvalidExpressionException;
import io.tessera.featurestore.spec.YamlDocument.ListNode;
import io.tessera.featurestore.spec.YamlDocument.Node;
import io.tessera.featurestore.spec.YamlDocument.Position;
import io.tessera.featurestore.spec.YamlDocument.ScalarKind;
import io.tessera.featurestore.spec.YamlDocument.ScalarNode;
import io.tessera.featurestore.time.TimestampFormat;
import io.tessera.featurestore.time.Window;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and checks a whole spec, collecting every problem. Structure first (keys, types), then meaning:
 * fields referenced exist and have the right type, windows fit the tile, expressions type-check,
 * the model's algorithm, task and metric agree, the cron parses. A spec is returned only if nothing is
 * wrong.
 */
final class PipelineSpecReader {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern PERCENT = Pattern.compile("([0-9]+(\\.[0-9]+)?)%");
    private static final Set<String> CEL_RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
    private static final int DEFAULT_MAX_CATEGORIES = 50;
    private static final Duration MAX_FUTURE_SKEW = Duration.ofDays(365);

    private final YamlDocument.Node root;
    private final ProblemCollector problems;

    /** The declared fields; checks that need them are skipped while they are unknown. */
    private Map<String, FieldType> fields = new LinkedHashMap<>();
    /** The optional fields' defaults, typed, and where each was written (to point at it). */
    private final Map<String, Object> defaults = new LinkedHashMap<>();
    private final Map<String, Position> defaultPositions = new HashMap<>();
    private boolean fieldsKnown;
    private ExpressionEnvironment fieldEnvironment;
    private Duration tile;
    private String tileText;

    PipelineSpecReader(YamlDocument.Node root, ProblemCollector problems) {
        this.root = root;
        this.problems = problems;
    }

    /** The spec, or empty if any problem was found. */
    Optional<PipelineSpec> read() {
        Optional<MapReader> top = MapReader.of(root, "", SpecKeys.TOP, problems);
        if (top.isEmpty()) {
            return Optional.empty();
        }
        MapReader doc = top.get();
        String pipeline = doc.text("pipeline", true).map(s -> pipelineName(s, doc.path("pipeline"))).orElse(null);
        SourceSpec source = doc.map("source", SpecKeys.SOURCE, true).map(this::source).orElse(null);
        EntitySpec entity = doc.map("entity", SpecKeys.ENTITY, true).map(this::entity).orElse(null);
        ModelSpec model = doc.map("model", SpecKeys.MODEL, true).map(this::model).orElse(null);
        LabelSpec label = doc.map("label", SpecKeys.LABEL, true).map(m -> label(m, model)).orElse(null);
        FeaturesSpec features = doc.map("features", SpecKeys.FEATURES, true)
                .map(m -> features(m, label)).orElse(null);
        ScheduleSpec schedule = doc.map("schedule", SpecKeys.SCHEDULE, false).map(this::schedule)
                .orElse(new ScheduleSpec(Optional.empty(), Optional.of(ScheduleSpec.DEFAULT_MAINTAIN), Optional.empty()));
        ServingSpec serving = doc.map("serving", SpecKeys.SERVING, false)
                .map(m -> serving(m, pipeline))
                .orElse(pipeline == null ? null : new ServingSpec(pipeline));
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PipelineSpec(pipeline, entity, source, features, label, model, schedule, serving));
    }

    // ---- source -------------------------------------------------------------------------------------

    private SourceSpec source(MapReader m) {
        String topic = m.text("topic", true).map(s -> {
            if (!TOPIC.matcher(s.text()).matches()) {
                problems.add(m.path("topic"), s.position(), "invalid topic name '" + s.text()
                        + "' (letters, digits, '.', '_' and '-', at most 249)");
                return null;
            }
            return s.text();
        }).orElse(null);
        SourceFormat format = m.text("format", true)
                .map(s -> choice(s, m.path("format"), "format", SourceFormat.values(), SourceFormat::specName))
                .orElse(null);
        boolean fieldsOk = m.required("fields").map(n -> fields(n, m.path("fields"))).orElse(false);
        fieldsKnown = fieldsOk;
        if (fieldsKnown) {
            fieldEnvironment = SourceSpec.expressionsOver(fields);
        }
        TimestampSpec timestamp = m.map("timestamp", SpecKeys.TIMESTAMP, true).map(this::timestamp).orElse(null);
        Duration maxLateness = m.required("max_lateness")
                .flatMap(n -> duration(n, m.path("max_lateness"), true)).map(DurationLiteral::duration).orElse(null);
        Optional<Node> skewNode = m.optional("max_future_skew");
        Optional<Duration> skew = skewNode.flatMap(n -> duration(n, m.path("max_future_skew"), false))
                .map(DurationLiteral::duration);
        boolean skewOk = skewNode.isEmpty() || skew.isPresent();
        Duration maxFutureSkew = skew.orElse(SourceSpec.DEFAULT_MAX_FUTURE_SKEW);
        if (skewOk && maxFutureSkew.compareTo(MAX_FUTURE_SKEW) > 0) {
            problems.add(m.path("max_future_skew"), skewNode.get().position(), "at most " + MAX_FUTURE_SKEW.toDays()
                    + "d: an event time further ahead is a unit error (milliseconds read as seconds), not a clock's skew");
            skewOk = false;
        }
        Optional<String> id = Optional.empty();
        boolean idOk = true;
        Optional<YamlDocument.ScalarNode> idNode = m.text("id", false);
        if (idNode.isPresent() && fieldsOk) {
            String name = idNode.get().text();
            FieldType type = fields.get(name);
            if (type == null) {
                problems.add(m.path("id"), idNode.get().position(), "unknown field '" + name + "'"
                        + Suggestion.closestTo(name, fields.keySet()).map(near -> " (did you mean '" + near + "'?)").orElse(""));
                idOk = false;
            } else if (type != FieldType.STRING && type != FieldType.LONG && type != FieldType.INT) {
                problems.add(m.path("id"), idNode.get().position(), "an event id is a string, int or long field; " + name + " is " + type.specName());
                idOk = false;
            } else if (defaults.containsKey(name)) {
                noDefault(name, "the event id field cannot have a default: two events would share it");
                idOk = false;
            } else {
                id = Optional.of(name);
            }
        }
        if (timestamp != null && defaults.containsKey(timestamp.field())) {
            noDefault(timestamp.field(), "the timestamp field cannot have a default: event time is never made up");
            timestamp = null;
        }
        if (topic == null || format == null || !fieldsOk || timestamp == null || maxLateness == null || !skewOk || !idOk) {
            return null;
        }
        return new SourceSpec(topic, format, timestamp, fields, maxLateness, defaults, maxFutureSkew, id);
    }

    private boolean fields(Node node, String path) {
        Optional<MapReader> reader = MapReader.anyKeys(node, path, "a map of field name to type", problems);
        if (reader.isEmpty()) {
            return false;
        }
        boolean ok = true;
        Map<String, FieldType> declared = new LinkedHashMap<>();
        for (YamlDocument.Entry entry : reader.get().entries()) {
            String fieldPath = MapReader.child(path, entry.key());
            if (!FIELD_NAME.matcher(entry.key()).matches() || CEL_RESERVED.contains(entry.key())) {
                problems.add(fieldPath, entry.keyPosition(), "invalid field name '" + entry.key()
                        + "' (letters, digits and _, not starting with a digit, not a reserved word of expressions)");
                ok = false;
                continue;
            }
            // 'name: type', or 'name: { type: T, default: V }' for an optional field
            Optional<MapReader> longForm = entry.value() instanceof YamlDocument.MapNode
                    ? MapReader.of(entry.value(), fieldPath, SpecKeys.FIELD, problems) : Optional.empty();
            if (entry.value() instanceof YamlDocument.MapNode && longForm.isEmpty()) {
                ok = false;
                continue;
            }
            String typePath = longForm.isPresent() ? MapReader.child(fieldPath, "type") : fieldPath;
            Optional<ScalarNode> typeName = longForm.isPresent() ? longForm.get().text("type", true)
                    : MapReader.asText(entry.value(), fieldPath, problems);
            if (typeName.isEmpty()) {
                ok = false;
                continue;
            }
            FieldType type = choice(typeName.get(), typePath, "type", FieldType.values(), FieldType::specName);
            if (type == null) {
                ok = false;
                continue;
            }
            declared.put(entry.key(), type);
            Optional<Node> defaultNode = longForm.flatMap(f -> f.optional("default"));
            if (longForm.isPresent() && longForm.get().isNull("default")) {
                problems.add(MapReader.child(fieldPath, "default"), longForm.get().position("default"),
                        "a default of null is no default: give a value of type " + type.specName() + ", or remove it");
                ok = false;
            }
            if (defaultNode.isPresent()) {
                Object value = defaultValue(defaultNode.get(), type, MapReader.child(fieldPath, "default"));
                if (value == null) {
                    ok = false;
                } else {
                    defaults.put(entry.key(), value);
                    defaultPositions.put(entry.key(), defaultNode.get().position());
                }
            }
        }
        if (declared.isEmpty() && ok) {
            problems.add(path, node.position(), "declare at least one field");
            ok = false;
        }
        fields = declared;
        return ok;
    }

    /** A field's {@code default:}, typed as the field, or null after reporting why it is not one. */
    private Object defaultValue(Node node, FieldType type, String path) {
        if (!(node instanceof ScalarNode s)) {
            problems.add(path, node.position(), "expected a " + type.specName() + " value, got " + node.describe());
            return null;
        }
        Object value = switch (type) {
            case STRING -> s.text();
            case INT -> s.kind() == ScalarKind.INTEGER ? parseOrNull(s.text(), t -> Long.valueOf(Integer.parseInt(t))) : null;
            case LONG -> s.kind() == ScalarKind.INTEGER ? parseOrNull(s.text(), Long::valueOf) : null;
            case DOUBLE -> s.kind() == ScalarKind.INTEGER || s.kind() == ScalarKind.FLOAT
                    ? parseOrNull(s.text(), t -> {
                        double d = new BigDecimal(t).doubleValue();
                        return Double.isFinite(d) ? Double.valueOf(d) : null;
                    }) : null;
            case BOOLEAN -> s.kind() == ScalarKind.BOOLEAN ? Boolean.valueOf(s.text()) : null;
        };
        if (value == null) {
            problems.add(path, s.position(), "'" + s.text() + "' is not a valid " + type.specName() + " default");
        }
        return value;
    }

    private static Object parseOrNull(String text, Function<String, Object> parse) {
        try {
            return parse.apply(text.replace("_", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reports a default on a field that must be in every event. */
    private void noDefault(String field, String why) {
        problems.add("source.fields." + field + ".default", defaultPositions.get(field), why);
    }

    private TimestampSpec timestamp(MapReader m) {
        String field = m.text("field", true).map(ScalarNode::text).orElse(null);
        TimestampFormat format = m.text("format", true).map(s -> {
            switch (s.text()) {
                case "epoch_seconds":
                    return new TimestampFormat.EpochSeconds();
                case "epoch_millis":
                    return new TimestampFormat.EpochMillis();
                case "iso8601":
                    return new TimestampFormat.Iso8601();
                default:
                    Optional<String> named = Suggestion.closestTo(s.text(), List.of("epoch_seconds", "epoch_millis", "iso8601"));
                    try {
                        return TimestampFormat.Pattern.of(s.text());
                    } catch (IllegalArgumentException e) {
                        problems.add(m.path("format"), s.position(), named
                                .map(x -> "unknown timestamp format '" + s.text() + "' (did you mean '" + x + "'?)")
                                .orElse(e.getMessage() + " (or one of epoch_seconds, epoch_millis, iso8601)"));
                        return null;
                    }
            }
        }).orElse(null);
        if (field == null || format == null) {
            return null;
        }
        FieldType declared = fieldsKnown ? fields.get(field) : null;
        boolean epoch = format instanceof TimestampFormat.EpochSeconds || format instanceof TimestampFormat.EpochMillis;
        if (declared != null && (epoch ? declared == FieldType.BOOLEAN : declared != FieldType.STRING)) {
            problems.add(m.path("field"), m.position("field"), "'" + field + "' is declared " + declared.specName()
                    + ", but " + format.specName() + " timestamps are " + (epoch ? "numbers" : "text"));
            return null;
        }
        return new TimestampSpec(field, format);
    }

    // ---- entity -------------------------------------------------------------------------------------

    private EntitySpec entity(MapReader m) {
        String name = m.text("name", true).map(s -> name(s, m.path("name"))).orElse(null);
        String key = m.text("key", true).map(s -> {
            FieldType type = fieldRef(s, m.path("key"));
            if (type == FieldType.DOUBLE || type == FieldType.BOOLEAN) {
                problems.add(m.path("key"), s.position(), "the entity key must be a string, int or long field, but '"
                        + s.text() + "' is " + type.specName());
                return null;
            }
            if (defaults.containsKey(s.text())) {
                noDefault(s.text(), "the entity key cannot have a default: an event without a key belongs to no entity");
                return null;
            }
            return s.text();
        }).orElse(null);
        return name == null || key == null ? null : new EntitySpec(name, key);
    }

    // ---- features -----------------------------------------------------------------------------------

    private FeaturesSpec features(MapReader m, LabelSpec label) {
        tile = m.required("tile").flatMap(n -> duration(n, m.path("tile"), false)).map(d -> {
            long ms = d.duration().toMillis();
            if (ms < 1000 || DAY_MILLIS % ms != 0) {
                problems.add(m.path("tile"), m.position("tile"),
                        "a tile must be at least 1s and divide 1d evenly (e.g. 5m, 15m, 1h, 1d), got " + d.text());
                return null;
            }
            tileText = d.text();
            return d.duration();
        }).orElse(null);
        PointInTime pointInTime = m.text("point_in_time", false)
                .map(s -> choice(s, m.path("point_in_time"), "point_in_time", PointInTime.values(), PointInTime::specName))
                .orElse(m.has("point_in_time") ? null : PointInTime.EVENT_TIME);
        List<AggregationSpec> aggregations = new ArrayList<>();
        List<EventFeatureSpec> events = new ArrayList<>();
        Map<String, String> columns = new HashMap<>();
        boolean ok = tile != null && pointInTime != null;
        Optional<ListNode> aggregationList = m.list("aggregations", false);
        if (aggregationList.isPresent()) {
            List<Node> items = aggregationList.get().items();
            for (int i = 0; i < items.size(); i++) {
                String path = m.path("aggregations") + "[" + i + "]";
                Optional<AggregationSpec> spec = MapReader.of(items.get(i), path, SpecKeys.AGGREGATION, problems)
                        .flatMap(a -> aggregation(a, columns, label));
                spec.ifPresent(aggregations::add);
                ok &= spec.isPresent();
            }
        } else {
            ok &= !m.has("aggregations");
        }
        Optional<ListNode> eventList = m.list("event", false);
        if (eventList.isPresent()) {
            List<Node> items = eventList.get().items();
            for (int i = 0; i < items.size(); i++) {
                String path = m.path("event") + "[" + i + "]";
                Optional<EventFeatureSpec> spec = MapReader.of(items.get(i), path, SpecKeys.EVENT_FEATURE, problems)
                        .flatMap(e -> eventFeature(e, label, columns));
                spec.ifPresent(events::add);
                ok &= spec.isPresent();
            }
        } else {
            ok &= !m.has("event");
        }
        if (ok && aggregations.isEmpty() && events.isEmpty()) {
            problems.add(m.path(), m.position(), "no features: add aggregations or event features");
            ok = false;
        }
        return ok ? new FeaturesSpec(tile, pointInTime, aggregations, events) : null;
    }

    private Optional<AggregationSpec> aggregation(MapReader m, Map<String, String> columns, LabelSpec label) {
        Optional<ScalarNode> nameNode = m.text("name", true);
        String name = nameNode.map(s -> name(s, m.path("name"))).orElse(null);
        Op op = m.text("op", true)
                .map(s -> choice(s, m.path("op"), "op", Op.values(), Op::specName)).orElse(null);
        Optional<String> of = Optional.empty();
        boolean ok = name != null && op != null;
        if (op != null) {
            Optional<ScalarNode> ofNode = m.text("of", false);
            if (op.input() == Op.Input.NONE && ofNode.isPresent()) {
                problems.add(m.path("of"), ofNode.get().position(), "op " + op.specName()
                        + " counts events and takes no 'of' (filter events with 'where')");
                ok = false;
            } else if (op.input() != Op.Input.NONE && ofNode.isEmpty()) {
                if (!m.has("of")) {
                    problems.add(m.path("of"), m.position(), "required for op " + op.specName());
                }
                ok = false;
            } else if (ofNode.isPresent()) {
                FieldType type = fieldRef(ofNode.get(), m.path("of"));
                if (type != null && op.input() == Op.Input.NUMBER && !type.isNumeric()) {
                    problems.add(m.path("of"), ofNode.get().position(), "op " + op.specName()
                            + " needs a numeric field, but '" + ofNode.get().text() + "' is " + type.specName());
                    ok = false;
                }
                of = Optional.of(ofNode.get().text());
                ok &= type != null || !fieldsKnown;
            }
        } else if (m.has("of")) {
            m.text("of", false).ifPresent(s -> fieldRef(s, m.path("of")));
        }
        Optional<Condition> whereCondition = m.text("where", false).flatMap(s -> condition(s, m.path("where"), fieldEnvironment));
        Optional<String> where = whereCondition.map(Condition::source);
        ok &= !m.has("where") || where.isPresent();
        if (ok && label != null && label.knownAfter().isEmpty()
                && label.isReadBy(of, whereCondition)) {
            String key = of.filter(label.field()::equals).isPresent() ? "of" : "where";
            problems.add(m.path(key), m.text(key, false).map(ScalarNode::position).orElse(m.position(key)), "'" + label.field() + "' is the label: an aggregation over it would feed"
                    + " each event's label into the features the moment the event happens, long before anyone knows it; say when"
                    + " labels become known (label: { field: " + label.field() + ", known_after: 30d }) and it sees each label"
                    + " only from then on");
            ok = false;
        }
        List<Window.Trailing> windows = new ArrayList<>();
        if (m.has("windows")) {
            ok &= windows(m, windows);
        }
        double defaultValue = 0.0;
        Optional<ScalarNode> defaultNode = m.number("default");
        ok &= !m.has("default") || defaultNode.isPresent();
        if (defaultNode.isPresent() && op != null) {
            if (op == Op.COUNT || op == Op.SUM || op == Op.APPROX_DISTINCT) {
                problems.add(m.path("default"), defaultNode.get().position(), "'default' applies to mean, min, max and last; "
                        + op.specName() + " is 0 over no events");
                ok = false;
            } else {
                defaultValue = new BigDecimal(defaultNode.get().text()).doubleValue();
            }
        }
        if (name != null) {
            AggregationSpec probe = new AggregationSpec(name, Op.COUNT, Optional.empty(), Optional.empty(), windows, 0);
            for (Window window : probe.readWindows()) {
                ok &= column(probe.columnName(window), m.path("name"), nameNode.get().position(), columns);
            }
        }
        if (!ok || tile == null) {
            return Optional.empty();
        }
        return Optional.of(new AggregationSpec(name, op, of, where, windows, defaultValue));
    }

    private boolean windows(MapReader m, List<Window.Trailing> out) {
        Optional<ListNode> list = m.list("windows", false);
        if (list.isEmpty()) {
            return false;
        }
        if (list.get().items().isEmpty()) {
            problems.add(m.path("windows"), list.get().position(),
                    "list at least one window, or leave 'windows' out for an aggregate over the whole history");
            return false;
        }
        boolean ok = true;
        Map<Duration, String> seen = new HashMap<>();
        List<Node> items = list.get().items();
        for (int i = 0; i < items.size(); i++) {
            String path = m.path("windows") + "[" + i + "]";
            Optional<DurationLiteral> window = duration(items.get(i), path, false);
            if (window.isEmpty()) {
                ok = false;
                continue;
            }
            DurationLiteral w = window.get();
            Position position = items.get(i).position();
            if (tile != null && w.duration().toMillis() % tile.toMillis() != 0) {
                problems.add(path, position, "window " + w.text() + " is not a multiple of the tile " + tileText);
                ok = false;
            } else if (seen.containsKey(w.duration())) {
                problems.add(path, position, "window " + w.text() + " repeats " + seen.get(w.duration()));
                ok = false;
            } else {
                seen.put(w.duration(), w.text());
                out.add(new Window.Trailing(w.duration(), w.text()));
            }
        }
        return ok;
    }

    private Optional<EventFeatureSpec> eventFeature(MapReader m, LabelSpec label, Map<String, String> columns) {
        Optional<ScalarNode> nameNode = m.text("name", true);
        String name = nameNode.map(s -> name(s, m.path("name"))).orElse(null);
        Optional<ScalarNode> ofNode = m.text("of", true);
        FieldType type = ofNode.map(s -> fieldRef(s, m.path("of"))).orElse(null);
        boolean ok = name != null && ofNode.isPresent() && (type != null || !fieldsKnown);
        if (ofNode.isPresent() && label != null && label.field().equals(ofNode.get().text())) {
            problems.add(m.path("of"), ofNode.get().position(), "'" + label.field()
                    + "' is the label: a feature of the scored event's own label leaks it into the model");
            ok = false;
        }
        Encoding encoding = m.text("encode", false)
                .map(s -> choice(s, m.path("encode"), "encoding", Encoding.values(), Encoding::specName))
                .orElse(m.has("encode") ? null : Encoding.RAW);
        ok &= encoding != null;
        if (encoding == Encoding.RAW && type == FieldType.STRING) {
            problems.add(m.path("of"), ofNode.get().position(), "'" + ofNode.get().text()
                    + "' is a string: encode it with one_hot, or aggregate it");
            ok = false;
        }
        if (encoding == Encoding.ONE_HOT && type != null && type != FieldType.STRING) {
            problems.add(m.path("encode"), m.position("encode"), "one_hot needs a string field, but '"
                    + ofNode.get().text() + "' is " + type.specName());
            ok = false;
        }
        List<String> categories = new ArrayList<>();
        if (m.has("categories")) {
            ok &= categories(m, encoding, categories);
        }
        int maxCategories = DEFAULT_MAX_CATEGORIES;
        Optional<ScalarNode> max = m.integer("max_categories");
        ok &= !m.has("max_categories") || max.isPresent();
        if (max.isPresent()) {
            long value = new BigDecimal(max.get().text()).longValue();
            if (encoding != Encoding.ONE_HOT || m.has("categories")) {
                problems.add(m.path("max_categories"), max.get().position(),
                        "max_categories applies to one_hot with a vocabulary learned at training time (no 'categories')");
                ok = false;
            } else if (value < 1 || value > 10_000) {
                problems.add(m.path("max_categories"), max.get().position(), "expected 1 to 10000, got " + value);
                ok = false;
            } else {
                maxCategories = (int) value;
            }
        }
        if (name != null) {
            ok &= column(name, m.path("name"), nameNode.get().position(), columns);
        }
        if (!ok) {
            return Optional.empty();
        }
        return Optional.of(new EventFeatureSpec(name, ofNode.get().text(), encoding, categories, maxCategories));
    }

    private boolean categories(MapReader m, Encoding encoding, List<String> out) {
        Optional<ListNode> list = m.list("categories", false);
        if (list.isEmpty()) {
            return false;
        }
        if (encoding != Encoding.ONE_HOT) {
            problems.add(m.path("categories"), list.get().position(), "categories apply to encode: one_hot");
            return false;
        }
        if (list.get().items().isEmpty()) {
            problems.add(m.path("categories"), list.get().position(),
                    "list at least one category, or leave 'categories' out to learn them at training time");
            return false;
        }
        boolean ok = true;
        List<Node> items = list.get().items();
        for (int i = 0; i < items.size(); i++) {
            String path = m.path("categories") + "[" + i + "]";
            Optional<ScalarNode> category = MapReader.asText(items.get(i), path, problems);
            if (category.isEmpty()) {
                ok = false;
            } else if (out.contains(category.get().text())) {
                problems.add(path, category.get().position(), "category '" + category.get().text() + "' is listed twice");
                ok = false;
            } else {
                out.add(category.get().text());
            }
        }
        return ok;
    }

    /** Registers a vector column name, reporting a clash with an earlier feature. */
    private boolean column(String column, String path, Position position, Map<String, String> columns) {
        String previous = columns.putIfAbsent(column, path);
        if (previous != null) {
            problems.add(path, position, "feature column '" + column + "' is already defined by " + previous);
            return false;
        }
        return true;
    }

    // ---- label and model ----------------------------------------------------------------------------

    private LabelSpec label(MapReader m, ModelSpec model) {
        Optional<ScalarNode> fieldNode = m.text("field", true);
        FieldType type = fieldNode.map(s -> fieldRef(s, m.path("field"))).orElse(null);
        Optional<ScalarNode> positiveNode = m.text("positive", false);
        boolean ok = fieldNode.isPresent() && (type != null || !fieldsKnown) && (!m.has("positive") || positiveNode.isPresent());
        if (fieldNode.isPresent() && positiveNode.isEmpty() && defaults.containsKey(fieldNode.get().text())) {
            noDefault(fieldNode.get().text(), "the label field cannot have a default: a made-up label would be learned"
                    + " as a true one");
            ok = false;
        }
        Task task = model == null ? null : model.task();
        if (positiveNode.isPresent()) {
            if (task == Task.REGRESSION) {
                problems.add(m.path("positive"), positiveNode.get().position(),
                        "'positive' applies to binary_classification; regression learns the field as is");
                ok = false;
            } else {
                ok &= condition(positiveNode.get(), m.path("positive"), fieldEnvironment).isPresent();
            }
        } else if (type != null && task == Task.BINARY_CLASSIFICATION && !(type.isNumeric() || type == FieldType.BOOLEAN)) {
            problems.add(m.path("field"), fieldNode.get().position(), "a binary label must be 0/1 or boolean, but '"
                    + fieldNode.get().text() + "' is " + type.specName() + " (add 'positive' to derive it)");
            ok = false;
        }
        if (type != null && task == Task.REGRESSION && !type.isNumeric()) {
            problems.add(m.path("field"), fieldNode.get().position(), "a regression label must be numeric, but '"
                    + fieldNode.get().text() + "' is " + type.specName());
            ok = false;
        }
        Optional<Duration> knownAfter = m.text("known_after", false)
                .flatMap(s -> duration(s, m.path("known_after"), true)).map(DurationLiteral::duration);   // 0s: known at once (a rating)
        ok &= !m.has("known_after") || knownAfter.isPresent();
        return ok ? new LabelSpec(fieldNode.get().text(), positiveNode.map(ScalarNode::text), knownAfter) : null;
    }

    private ModelSpec model(MapReader m) {
        Task task = m.text("task", true)
                .map(s -> choice(s, m.path("task"), "task", Task.values(), Task::specName)).orElse(null);
        Algorithm algorithm = m.text("algorithm", true)
                .map(s -> choice(s, m.path("algorithm"), "algorithm", Algorithm.values(), Algorithm::specName))
                .orElse(null);
        boolean ok = task != null && algorithm != null;
        if (task != null && algorithm != null && !algorithm.supports(task)) {
            String alternatives = Arrays.stream(Algorithm.values()).filter(a -> a.supports(task))
                    .map(Algorithm::specName).reduce((a, b) -> a + ", " + b).orElse("");
            problems.add(m.path("algorithm"), m.position("algorithm"), algorithm.specName() + " cannot do "
                    + task.specName() + " (use " + alternatives + ")");
            ok = false;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        if (m.has("params")) {
            ok &= m.optional("params")
                    .flatMap(n -> MapReader.anyKeys(n, m.path("params"), "a map of parameter name to value", problems))
                    .map(p -> params(p, algorithm, params)).orElse(false);
        }
        Metric metric = task == null ? null : Metric.defaultFor(task);
        Optional<ScalarNode> metricNode = m.text("metric", false);
        if (metricNode.isPresent()) {
            metric = choice(metricNode.get(), m.path("metric"), "metric", Metric.values(), Metric::specName);
            if (metric != null && task != null && metric.task() != task) {
                problems.add(m.path("metric"), metricNode.get().position(), "metric " + metric.specName() + " is for "
                        + metric.task().specName() + "; for " + task.specName() + " use "
                        + String.join(" or ", Metric.specNamesFor(task)));
                metric = null;
            }
            ok &= metric != null;
        } else {
            ok &= !m.has("metric");
        }
        double holdout = 0.2;
        if (m.has("holdout")) {
            Optional<Double> parsed = m.optional("holdout").flatMap(n -> percentage(n, m.path("holdout")));
            ok &= parsed.isPresent();
            holdout = parsed.orElse(holdout);
        }
        String promoteIf = metric == null ? null : (metric.higherIsBetter() ? "candidate >= champion" : "candidate <= champion");
        Optional<ScalarNode> promoteNode = m.text("promote_if", false);
        if (promoteNode.isPresent()) {
            ok &= condition(promoteNode.get(), m.path("promote_if"), ExpressionEnvironment.ofDoubles("candidate", "champion")).isPresent();
            promoteIf = promoteNode.get().text();
        } else {
            ok &= !m.has("promote_if");
        }
        return ok ? new ModelSpec(task, algorithm, params, metric, holdout, promoteIf) : null;
    }

    private boolean params(MapReader m, Algorithm algorithm, Map<String, Object> out) {
        if (algorithm == null) {
            return false;
        }
        boolean ok = true;
        for (YamlDocument.Entry entry : m.entries()) {
            String path = m.path(entry.key());
            ParamType type = algorithm.params().get(entry.key());
            if (type == null) {
                String hint = Suggestion.closestTo(entry.key(), algorithm.params().keySet())
                        .map(s -> " (did you mean '" + s + "'?)").orElse("");
                problems.add(path, entry.keyPosition(), "unknown parameter '" + entry.key() + "' for "
                        + algorithm.specName() + hint);
                ok = false;
                continue;
            }
            Object value = paramValue(entry.value(), type);
            if (value == null) {
                problems.add(path, entry.value().position(), "expected " + type.description() + ", got "
                        + entry.value().describe());
                ok = false;
            } else {
                out.put(entry.key(), value);
            }
        }
        return ok;
    }

    private static Object paramValue(Node node, ParamType type) {
        if (!(node instanceof ScalarNode s)) {
            return null;
        }
        try {
            return switch (type) {
                case INT -> s.kind() == ScalarKind.INTEGER ? Integer.valueOf(s.text()) : null;
                case LONG -> s.kind() == ScalarKind.INTEGER ? Long.valueOf(s.text()) : null;
                case DOUBLE -> s.kind() == ScalarKind.INTEGER || s.kind() == ScalarKind.FLOAT
                        ? Double.valueOf(new BigDecimal(s.text()).doubleValue()) : null;
                case STRING -> s.kind() == ScalarKind.STRING ? s.text() : null;
                case BOOLEAN -> s.kind() == ScalarKind.BOOLEAN ? Boolean.valueOf(s.text().equalsIgnoreCase("true")
                        || s.text().equalsIgnoreCase("yes") || s.text().equalsIgnoreCase("on")) : null;
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private ScheduleSpec schedule(MapReader m) {
        return new ScheduleSpec(cron(m, "retrain"), Optional.of(cron(m, "maintain").orElse(ScheduleSpec.DEFAULT_MAINTAIN)), cron(m, "publish"));
    }

    private Optional<String> cron(MapReader m, String key) {
        return m.text(key, false).map(s -> {
            Optional<String> problem = CronSchedule.problemWith(s.text());
            problem.ifPresent(p -> problems.add(m.path(key), s.position(), "invalid cron expression '" + s.text()
                    + "': " + p + " (5 fields: minute hour day-of-month month day-of-week)"));
            return problem.isPresent() ? null : s.text();
        });
    }

    private ServingSpec serving(MapReader m, String pipeline) {
        Optional<ScalarNode> view = m.text("view", false);
        if (view.isPresent()) {
            String name = name(view.get(), m.path("view"));
            return name == null ? null : new ServingSpec(name);
        }
        return m.has("view") || pipeline == null ? null : new ServingSpec(pipeline);
    }

    // ---- values -------------------------------------------------------------------------------------

    /** A name that becomes a column or table name: lower-case identifier, at most 48 characters. */
    /** A name, and not the lake namespace of the platform's own tables ({@code lake.platform.job_runs}). */
    private String pipelineName(ScalarNode s, String path) {
        if (io.tessera.featurestore.lake.LakeTables.PLATFORM_NAMESPACE.equals(s.text())) {
            problems.add(path, s.position(), "'" + s.text() + "' is reserved: the lake namespace of the platform's own tables");
            return null;
        }
        return name(s, path);
    }

    private String name(ScalarNode s, String path) {
        if (!NAME.matcher(s.text()).matches()) {
            problems.add(path, s.position(), "invalid name '" + s.text()
                    + "' (lower-case letters, digits and _, starting with a letter, at most 48)");
            return null;
        }
        return s.text();
    }

    /** The type of a referenced field, or null (with a problem) if there is no such field. */
    private FieldType fieldRef(ScalarNode s, String path) {
        if (!fieldsKnown) {
            return null;
        }
        FieldType type = fields.get(s.text());
        if (type == null) {
            String hint = Suggestion.closestTo(s.text(), fields.keySet())
                    .map(x -> " (did you mean '" + x + "'?)")
                    .orElse(" (fields: " + String.join(", ", fields.keySet()) + ")");
            problems.add(path, s.position(), "unknown field '" + s.text() + "'" + hint);
        }
        return type;
    }

    private <T> T choice(ScalarNode s, String path, String what, T[] values, Function<T, String> specName) {
        for (T value : values) {
            if (specName.apply(value).equals(s.text())) {
                return value;
            }
        }
        List<String> names = Arrays.stream(values).map(specName).toList();
        String hint = Suggestion.closestTo(s.text(), names)
                .map(x -> " (did you mean '" + x + "'?)")
                .orElse(" (expected one of " + String.join(", ", names) + ")");
        problems.add(path, s.position(), "unknown " + what + " '" + s.text() + "'" + hint);
        return null;
    }

    private Optional<DurationLiteral> duration(Node node, String path, boolean zeroAllowed) {
        if (!(node instanceof ScalarNode s) || s.kind() == ScalarKind.NULL) {
            problems.add(path, node.position(), "expected a duration like 1h, got " + node.describe());
            return Optional.empty();
        }
        Optional<DurationLiteral> parsed = DurationLiteral.parse(s.text());
        if (parsed.isEmpty()) {
            problems.add(path, s.position(), "invalid duration '" + s.text() + "' (expected " + DurationLiteral.EXPECTED + ")");
            return Optional.empty();
        }
        if (!zeroAllowed && parsed.get().duration().isZero()) {
            problems.add(path, s.position(), "a duration of zero is not allowed here");
            return Optional.empty();
        }
        return parsed;
    }

    private Optional<Double> percentage(Node node, String path) {
        if (node instanceof ScalarNode s && s.kind() == ScalarKind.STRING) {
            var m = PERCENT.matcher(s.text());
            if (m.matches()) {
                double percent = Double.parseDouble(m.group(1));
                if (percent > 0 && percent < 100) {
                    return Optional.of(new BigDecimal(m.group(1)).movePointLeft(2).doubleValue());
                }
            }
        }
        problems.add(path, node.position(), "invalid percentage " + (node instanceof ScalarNode s ? "'" + s.text() + "'" : node.describe())
                + " (expected more than 0% and less than 100%, e.g. 20%)");
        return Optional.empty();
    }

    /**
     * Type-checks a boolean expression; problems point into the expression when it was written on one
     * line, and at the value otherwise.
     */
    private Optional<Condition> condition(ScalarNode s, String path, ExpressionEnvironment environment) {
        if (environment == null) {
            return Optional.empty(); // fields unknown: their own problem is reported
        }
        try {
            return Optional.of(environment.condition(s.text()));
        } catch (InvalidExpressionException e) {
            for (ExpressionIssue issue : e.issues()) {
                Position at = s.position();
                if (issue.line() == 1 && !s.text().contains("\n")) {
                    at = new Position(at.line(), at.column() + (s.quoted() ? 1 : 0) + issue.column());
                }
                String hint = issue.unknownVariable()
                        .map(name -> Suggestion.closestTo(name, environment.variables())
                                .map(s2 -> " (did you mean '" + s2 + "'?)")
                                .orElse(" (declared: " + String.join(", ", environment.variables()) + ")"))
                        .orElse("");
                problems.add(path, at, issue.message() + hint);
            }
            return Optional.empty();
        }
    }
}
