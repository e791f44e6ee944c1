package io.tessera.batch.check;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tessera.batch.features.EventRows;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventOrder;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The other side of the consistency check: keys' vectors recomputed from the lake's events, one event
 * at a time with the feature-store's plan in this JVM (no tiles merged across engines, no cut), from
 * exactly the events the merged views must reflect: every event of the serving view's snapshot S, plus
 * the events the speed layer appended after S. Events a file ingest appended after S are not served
 * before the next publication; they are counted, not compared.
 */
final class LakeVectors {

    private static final String SPEED_SOURCE = "kafka:";

    /** The events the merged views must reflect, per key, and how many later file events were left out. */
    record LakeEvents(Map<String, List<Event>> byKey, long fileEventsAfterView) {
    }

    private final SparkSession spark;
    private final PipelineSpec spec;
    private final PipelineTables tables;
    private final EventRows rows;
    private final FeaturePlan plan;
    private FeatureLayout layout;
    private long layoutView = -1;

    LakeVectors(SparkSession spark, PipelineSpec spec) {
        this.spark = spark;
        this.spec = spec;
        this.tables = new PipelineTables(spark, spec);
        this.rows = new EventRows(spec);
        this.plan = FeaturePlan.of(spec);
    }

    /**
     * {@code n} keys (fewer if the lake has fewer): half with speed events after the view's snapshot, half
     * without, as far as each group has keys; which ones is fixed by {@code seed}.
     */
    List<String> sample(PublishedView view, int n, long seed) {
        if (n == 0) {
            return List.of();
        }
        Dataset<Row> recent = tables().filter(col(PipelineTables.INGEST_SOURCE).startsWith(SPEED_SOURCE))
                .filter(col(PipelineTables.INGESTED_AT).gt(new java.sql.Timestamp(view.snapshot().committedAt())))
                .select(key()).distinct();
        Dataset<Row> settled = atView(view).select(key()).distinct().except(recent);
        List<String> withSpeed = pick(recent, n, seed);
        List<String> without = pick(settled, n, seed);
        int fromSpeed = Math.min(withSpeed.size(), Math.max((n + 1) / 2, n - without.size()));
        List<String> keys = new ArrayList<>(withSpeed.subList(0, fromSpeed));
        keys.addAll(without.subList(0, Math.min(without.size(), n - fromSpeed)));
        return keys;
    }

    /** The events of {@code keys} the merged views must reflect under {@code view}. */
    LakeEvents events(PublishedView view, Collection<String> keys) {
        spark.catalog().refreshTable(tables.events());   // Spark caches the table: a check compared again must see new commits
        String[] columns = withSource(rows.columns());
        Object[] wanted = keys.toArray();
        List<Row> inView = atView(view).select(columns(columns)).filter(key().isin(wanted)).collectAsList();
        Set<String> sourcesInView = new HashSet<>();
        inView.forEach(row -> sourcesInView.add(row.getString(columns.length - 1)));
        List<Row> later = tables().select(columns(columns)).filter(key().isin(wanted)).collectAsList().stream()
                .filter(row -> !sourcesInView.contains(row.getString(columns.length - 1))).toList();
        Map<String, List<Event>> byKey = new HashMap<>();
        inView.forEach(row -> byKey.computeIfAbsent(rows.entityOf(row), k -> new ArrayList<>()).add(rows.toEvent(row)));
        long fileEvents = 0;
        for (Row row : later) {
            if (row.getString(columns.length - 1).startsWith(SPEED_SOURCE)) {
                byKey.computeIfAbsent(rows.entityOf(row), k -> new ArrayList<>()).add(rows.toEvent(row));
            } else {
                fileEvents++;
            }
        }
        return new LakeEvents(byKey, fileEvents);
    }

    /** The vector of a key's events at {@code readTime}, in the view's layout, computed one event at a time. */
    double[] vector(PublishedView view, List<Event> events, long readTime) {
        EntityTiles tiles = plan.newEntity();
        events.stream().sorted(EventOrder.COMPARATOR).forEach(event -> plan.add(tiles, event, Long.MIN_VALUE));
        return layout(view).assemble(tiles, readTime, null);
    }

    /** The layout's feature names, in vector order. */
    List<String> featureNames(PublishedView view) {
        return layout(view).names();
    }

    /** The view's layout, built once per view: every key of a check is read against the same one. */
    private FeatureLayout layout(PublishedView view) {
        if (layoutView != view.viewVersion()) {
            layout = FeatureLayout.of(spec, view.vocabularies());
            layoutView = view.viewVersion();
        }
        return layout;
    }

    /** The plan this JVM computes with; the view's partials must have been computed with the same. */
    FeaturePlan plan() {
        return plan;
    }

    private Dataset<Row> tables() {
        return spark.table(tables.events());
    }

    private Dataset<Row> atView(PublishedView view) {
        return spark.sql("SELECT * FROM " + tables.events() + " VERSION AS OF " + view.snapshot().id());
    }

    private org.apache.spark.sql.Column key() {
        return col(rows.entityKey()).cast("string");
    }

    private static List<String> pick(Dataset<Row> keys, int n, long seed) {
        return keys.orderBy(functions.hash(col(keys.columns()[0]), functions.lit(seed))).limit(n).collectAsList().stream()
                .map(row -> row.getString(0)).toList();
    }

    private static String[] withSource(String[] columns) {
        String[] all = java.util.Arrays.copyOf(columns, columns.length + 1);
        all[columns.length] = PipelineTables.INGEST_SOURCE;
        return all;
    }

    private static org.apache.spark.sql.Column[] columns(String[] names) {
        return java.util.Arrays.stream(names).map(functions::col).toArray(org.apache.spark.sql.Column[]::new);
    }
}
