package io.tessera.batch.features;

import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.spec.SpecText;
import io.tessera.batch.train.TimeSplit;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventOrder;
import io.tessera.featurestore.lake.LakeTables;
import io.tessera.featurestore.merge.EntityTimeline;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.model.Scorer;
import io.tessera.featurestore.spec.Encoding;
import io.tessera.featurestore.spec.EventFeatureSpec;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PointInTime;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.featurestore.vector.Vocabulary;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The batch layer's features, computed inside Spark with the feature-store algebra (never re-implemented
 * in SQL): events grouped by entity, each group replayed by the feature-store's {@link EntityTimeline}.
 */
public final class BatchFeatures {

    public static final StructType TRAINING_SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("entity", DataTypes.StringType, false),
            DataTypes.createStructField("event_time", DataTypes.TimestampType, false),
            DataTypes.createStructField("label", DataTypes.DoubleType, false),
            DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.DoubleType, false), false)));

    /**
     * One row per key of the snapshot: its batch partials (every one of its events in S, whatever their
     * event time), its newest event with that event's own vector and score, and for analysts the
     * aggregates read at the cutoff.
     */
    public static final StructType VIEW_SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("entity", DataTypes.StringType, false),
            DataTypes.createStructField("partials", DataTypes.BinaryType, false),
            DataTypes.createStructField("events", DataTypes.LongType, false),
            DataTypes.createStructField("newest_event_time", DataTypes.TimestampType, false),
            DataTypes.createStructField("newest_event_vector", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
            DataTypes.createStructField("features_at_cutoff", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
            DataTypes.createStructField("score", DataTypes.DoubleType, true)));

    private final SparkSession spark;
    private final SpecText specText;
    private final EventRows rows;

    public BatchFeatures(SparkSession spark, SpecText specText) {
        this.spark = spark;
        this.specText = specText;
        this.rows = new EventRows(specText.spec());
    }

    /**
     * Every event of lake snapshot {@code snapshotId}, whatever their event time: the {@link EventRows#columns()},
     * then the speed layer's generation and epoch of each (null for a file ingest's, and in a snapshot
     * written before those columns: a read of an older snapshot, such as a rescore's, has that snapshot's
     * schema whatever {@code ensure} added since), which {@link #heldBy} reads.
     */
    public Dataset<Row> events(String table, long snapshotId) {
        Dataset<Row> lake = spark.read().format("iceberg").option("snapshot-id", snapshotId).load(table);
        java.util.Set<String> present = java.util.Set.of(lake.columns());
        List<Column> columns = new java.util.ArrayList<>(java.util.Arrays.stream(rows.columns()).map(functions::col).toList());
        for (String lineage : List.of(LakeTables.SPEED_GENERATION, LakeTables.SPEED_EPOCH)) {
            columns.add(present.contains(lineage) ? functions.col(lineage) : functions.lit(null).cast(DataTypes.LongType).as(lineage));
        }
        return lake.select(columns.toArray(Column[]::new));
    }

    /**
     * The events of {@link #events} a batch view of {@code cut} holds: all but the speed layer's events its
     * cut leaves to the realtime rows (those above a cut rounded down to a bucket's end), so that batch +
     * realtime counts each event once. Decided by {@link ServingCut#holds} itself, the one definition the
     * speed layer's state and the serving reader follow too.
     */
    public static Dataset<Row> heldBy(Dataset<Row> events, ServingCut cut) {
        return events.filter((FilterFunction<Row>) row -> cut.holds(row.getAs(LakeTables.SPEED_GENERATION), row.getAs(LakeTables.SPEED_EPOCH)));
    }

    /** The events a training set of cutoff T learns from: those before T (the labels T bounds). */
    public static Dataset<Row> before(Dataset<Row> events, long cutoff) {
        return events.filter(functions.col(PipelineTables.EVENT_TIME).lt(new Timestamp(cutoff)));
    }

    /**
     * The vocabulary of every one_hot feature whose categories the spec does not fix, learned from the rows
     * a model of {@code training} is fitted on: its events before the holdout ({@link TimeSplit}). A category
     * first seen in the holdout is, as in production, one the model never saw: it goes to the
     * {@code __other__} column, and the holdout measures how the model copes with it.
     *
     * @param training the events a training set of the cutoff is made of ({@link #before})
     */
    public Map<String, List<String>> learnVocabularies(Dataset<Row> training) {
        Map<String, List<String>> vocabularies = new HashMap<>();
        List<EventFeatureSpec> learned = specText.spec().features().event().stream()
                .filter(f -> f.encode() == Encoding.ONE_HOT && f.categories().isEmpty()).toList();
        if (learned.isEmpty()) {
            return vocabularies;
        }
        Column micros = functions.unix_micros(functions.col(PipelineTables.EVENT_TIME));
        Row range = training.agg(functions.min(micros), functions.max(micros)).first();
        Dataset<Row> fitted = range.isNullAt(0) ? training
                : training.filter(micros.lt(TimeSplit.holdoutFromMicros(range.getLong(0), range.getLong(1), specText.spec().model().holdout())));
        for (EventFeatureSpec feature : learned) {
            Map<String, Long> counts = new HashMap<>();
            fitted.groupBy(functions.col(feature.of()).cast("string")).count().collectAsList()
                    .forEach(row -> {
                        if (!row.isNullAt(0)) {
                            counts.put(row.getString(0), row.getLong(1));
                        }
                    });
            vocabularies.put(feature.name(), Vocabulary.learn(counts, feature.maxCategories()));
        }
        return vocabularies;
    }

    /**
     * One row per event: its label and its features as of its own time (no event at or after it leaks in;
     * with {@code point_in_time: ingestion_time}, no event ingested after it either).
     */
    public Dataset<Row> trainingSet(Dataset<Row> events, Map<String, List<String>> vocabularies) {
        return grouped(events).flatMapGroups(new TrainingRows(specText, rows, vocabularies), ExpressionEncoder.apply(TRAINING_SCHEMA));
    }

    /**
     * The batch view of a snapshot's events, one row per key ({@link #VIEW_SCHEMA}).
     *
     * @param events every event of the snapshot ({@link #events}), not only those before the cutoff
     * @param modelJson the portable artifact that scores each key's newest event, or null for a view
     *     without scores; its layout must be the view's (checked by the caller)
     */
    public Dataset<Row> view(Dataset<Row> events, Map<String, List<String>> vocabularies, long cutoff, String modelJson) {
        return grouped(events).flatMapGroups(new ViewRows(specText, rows, vocabularies, cutoff, modelJson),
                ExpressionEncoder.apply(VIEW_SCHEMA));
    }

    private org.apache.spark.sql.KeyValueGroupedDataset<String, Row> grouped(Dataset<Row> events) {
        EventRows eventRows = rows;
        return events.groupByKey((MapFunction<Row, String>) eventRows::entityOf, Encoders.STRING());
    }

    /** A group function that replays one entity's events; the plan and layout are built once per task. */
    private abstract static class TimelineFunction implements FlatMapGroupsFunction<String, Row, Row>, Serializable {
        private static final long serialVersionUID = 1L;

        final SpecText specText;
        final EventRows rows;
        final Map<String, List<String>> vocabularies;
        private transient EntityTimeline timeline;

        TimelineFunction(SpecText specText, EventRows rows, Map<String, List<String>> vocabularies) {
            this.specText = specText;
            this.rows = rows;
            this.vocabularies = new HashMap<>(vocabularies);
        }

        EntityTimeline timeline() {
            if (timeline == null) {
                PipelineSpec spec = specText.spec();
                timeline = new EntityTimeline(FeaturePlan.of(spec), FeatureLayout.of(spec, vocabularies));
            }
            return timeline;
        }

        List<Event> sortedEvents(Iterator<Row> group) {
            List<Event> events = new ArrayList<>();
            group.forEachRemaining(row -> events.add(rows.toEvent(row)));
            // The shared total order, not a stable sort over Spark's arbitrary group order: which of a key's
            // same-millisecond events is its newest must not change between two runs of the same (S, T).
            events.sort(EventOrder.COMPARATOR);
            return events;
        }
    }

    private static final class TrainingRows extends TimelineFunction {
        private static final long serialVersionUID = 1L;
        private transient LabelRule label;

        TrainingRows(SpecText specText, EventRows rows, Map<String, List<String>> vocabularies) {
            super(specText, rows, vocabularies);
        }

        @Override
        public Iterator<Row> call(String entity, Iterator<Row> group) {
            if (label == null) {
                label = new LabelRule(specText.spec());
            }
            List<Row> out = new ArrayList<>();
            EntityTimeline.VectorSink sink = (event, vector) -> out.add(RowFactory.create(
                    entity, new Timestamp(event.time()), label.of(event), boxed(vector)));
            if (specText.spec().features().pointInTime() == PointInTime.INGESTION_TIME) {
                List<EntityTimeline.Arrival> arrivals = new ArrayList<>();
                group.forEachRemaining(row -> arrivals.add(new EntityTimeline.Arrival(rows.toEvent(row), rows.ingestedAt(row))));
                timeline().replayAsIngested(arrivals, sink);
            } else {
                timeline().replay(sortedEvents(group), sink);
            }
            return out.iterator();
        }
    }

    private static final class ViewRows extends TimelineFunction {
        private static final long serialVersionUID = 1L;
        private final long cutoff;
        private final String modelJson;
        private transient Scorer scorer;

        ViewRows(SpecText specText, EventRows rows, Map<String, List<String>> vocabularies, long cutoff, String modelJson) {
            super(specText, rows, vocabularies);
            this.cutoff = cutoff;
            this.modelJson = modelJson;
        }

        @Override
        public Iterator<Row> call(String entity, Iterator<Row> group) {
            if (scorer == null && modelJson != null) {
                scorer = Scorer.of(ModelFormat.fromJson(modelJson));
            }
            EntityTimeline.KeyView view = timeline().view(sortedEvents(group), cutoff);
            Double score = scorer == null ? null : scorer.score(view.newestEventVector());
            return List.of(RowFactory.create(entity, view.partials(), view.events(), new Timestamp(view.newestEvent().time()),
                    boxed(view.newestEventVector()), boxed(view.featuresAtCutoff()), score)).iterator();
        }
    }

    /** Spark's row encoder takes arrays of boxed values. */
    private static Double[] boxed(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
