package io.tessera.batch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.tile.EntityTiles;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark's batch features against a naive recomputation from raw events, on random streams: the grouping,
 * ordering, typing and same-timestamp rules of the Spark job must not change a single value.
 */
class BatchFeaturesTest {

    private static final String[] CATEGORIES = {"grocery_pos", "misc_net", "travel", "gas_transport"};
    private static SparkSession spark;
    private static SpecText specText;

    @BeforeAll
    static void start() throws Exception {
        spark = TestSpark.local();
        specText = BatchTestData.cardFraudSpec("card_fraud");
    }


    @Test
    void trainingRowsEqualANaiveRecomputationOnRandomStreams() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Row> rows = randomEvents(new Random(seed), 12, 400);
            Dataset<Row> events = spark.createDataFrame(rows, eventSchema());
            BatchFeatures features = new BatchFeatures(spark, specText);
            Map<String, List<String>> vocabularies = features.learnVocabularies(events);

            List<Row> actual = features.trainingSet(events, vocabularies).collectAsList();

            Map<String, List<Event>> byEntity = byEntity(rows);
            FeatureLayout layout = FeatureLayout.of(specText.spec(), vocabularies);
            assertThat(actual).hasSize(rows.size());
            for (Row row : actual) {
                long time = row.getTimestamp(1).getTime();
                List<Event> history = byEntity.get(row.getString(0));
                List<Double> got = row.getList(3);
                // twins share a timestamp: tell them apart by their own amount and label
                double amount = got.get(layout.names().indexOf("amt"));
                Event current = history.stream()
                        .filter(e -> e.time() == time && e.number("amt") == amount && label(e) == row.getDouble(2))
                        .findFirst().orElseThrow();
                double[] expected = naiveVector(layout, history, current);
                for (int i = 0; i < expected.length; i++) {
                    String column = layout.names().get(i);
                    double tolerance = column.startsWith("merchants") ? Math.max(1, expected[i] * 0.02) : Math.abs(expected[i]) * 1e-9;
                    assertThat(got.get(i)).as("seed %d, entity %s, t=%d, %s", seed, row.getString(0), time, column)
                            .isCloseTo(expected[i], within(tolerance));
                }
            }
        }
    }

    @Test
    void aPlantedFutureEventDoesNotLeakIntoEarlierRowsNorItsOwnNorItsTwins() {
        long hour = 3_600_000L;
        long t0 = 1_600_000_000_000L;
        List<Row> rows = List.of(
                event("c1", t0, 10.0, "travel", 0),
                event("c1", t0 + hour, 20.0, "travel", 0),
                event("c1", t0 + 2 * hour, 1_000_000.0, "misc_net", 1),   // the planted future event
                event("c1", t0 + 2 * hour, 5.0, "travel", 0));             // its twin, same timestamp
        BatchFeatures features = new BatchFeatures(spark, specText);
        Dataset<Row> events = spark.createDataFrame(rows, eventSchema());
        Map<String, List<String>> vocabularies = features.learnVocabularies(events);
        FeatureLayout layout = FeatureLayout.of(specText.spec(), vocabularies);
        int amtMax = layout.names().indexOf("amt_max_24h");
        int amtSum = layout.names().indexOf("amt_sum_24h");
        int count = layout.names().indexOf("txn_count_24h");

        Map<Long, List<List<Double>>> byTime = new HashMap<>();
        features.trainingSet(events, vocabularies).collectAsList()
                .forEach(row -> byTime.computeIfAbsent(row.getTimestamp(1).getTime(), k -> new ArrayList<>()).add(row.getList(3)));

        assertThat(byTime.get(t0 + hour).get(0).get(amtMax)).isEqualTo(10.0);
        for (List<Double> vector : byTime.get(t0 + 2 * hour)) {
            assertThat(vector.get(amtMax)).isEqualTo(20.0);        // neither itself nor its twin
            assertThat(vector.get(amtSum)).isEqualTo(30.0);
            assertThat(vector.get(count)).isEqualTo(2.0);
        }
    }

    @Test
    void theVocabularyIsLearnedFromTheRowsAModelIsFittedOnAndANewCategoryGoesToOther() {
        long hour = 3_600_000L;
        long t0 = 1_600_000_000_000L;
        List<Row> rows = new ArrayList<>();
        for (int h = 0; h < 100; h++) {
            rows.add(event("c" + h % 3, t0 + h * hour, 10.0 + h, h % 2 == 0 ? "travel" : "grocery_pos", 0));
        }
        rows.add(event("c1", t0 + 95 * hour, 7.0, "kids_pets", 0));   // first seen in the holdout (the latest 20% of time)
        BatchFeatures features = new BatchFeatures(spark, specText);
        Dataset<Row> events = spark.createDataFrame(rows, eventSchema());

        Map<String, List<String>> vocabularies = features.learnVocabularies(events);

        assertThat(vocabularies.get("category")).containsExactlyInAnyOrder("travel", "grocery_pos");
        FeatureLayout layout = FeatureLayout.of(specText.spec(), vocabularies);
        int other = layout.names().indexOf("category=__other__");
        assertThat(other).isPositive();
        Map<Double, Double> otherByAmount = new HashMap<>();
        features.trainingSet(events, vocabularies).collectAsList()
                .forEach(row -> otherByAmount.put(row.<Double>getList(3).get(layout.names().indexOf("amt")), row.<Double>getList(3).get(other)));
        assertThat(otherByAmount.get(7.0)).isEqualTo(1.0);
        assertThat(otherByAmount.get(10.0)).isEqualTo(0.0);
    }

    @Test
    void aFeatureOverTheLabelSeesEachLabelOnlyFromItsEventTimePlusKnownAfter() throws Exception {
        SpecText delayed = SpecText.of(specText.yaml()
                .replace("label: { field: is_fraud }", "label: { field: is_fraud, known_after: 6h }")
                .replace("    - { name: last_amt,        op: last,  of: amt }",
                        "    - { name: last_amt,        op: last,  of: amt }\n    - { name: frauds, op: sum, of: is_fraud, windows: [24h] }"),
                "delayed.yaml");
        List<Row> rows = randomEvents(new Random(7), 5, 600);
        Dataset<Row> events = spark.createDataFrame(rows, eventSchema());
        BatchFeatures features = new BatchFeatures(spark, delayed);
        Map<String, List<String>> vocabularies = features.learnVocabularies(events);
        FeatureLayout layout = FeatureLayout.of(delayed.spec(), vocabularies);
        int frauds = layout.names().indexOf("frauds_24h");
        Map<String, List<Event>> byEntity = byEntity(rows);
        long hour = 3_600_000L;
        int sawAKnownFraud = 0;

        for (Row row : features.trainingSet(events, vocabularies).collectAsList()) {
            long t = row.getTimestamp(1).getTime();
            long windowStart = Math.floorDiv(t - 24 * hour, hour) * hour;
            // the definition, counted by hand: frauds whose label was known (event time + 6h) inside [start, t)
            long expected = byEntity.get(row.getString(0)).stream()
                    .filter(e -> e.number("is_fraud") == 1 && windowStart <= e.time() + 6 * hour && e.time() + 6 * hour < t).count();
            assertThat(row.<Double>getList(3).get(frauds)).as("%s at %d", row.getString(0), t).isEqualTo((double) expected);
            sawAKnownFraud += expected > 0 ? 1 : 0;
        }
        assertThat(sawAKnownFraud).isPositive();
    }

    /** A fresh replay of only the events strictly before {@code current}: the definition, without EntityTimeline. */
    private static double[] naiveVector(FeatureLayout layout, List<Event> history, Event current) {
        FeaturePlan plan = FeaturePlan.of(specText.spec());
        EntityTiles tiles = plan.newEntity();
        history.stream().filter(e -> e.time() < current.time()).sorted(java.util.Comparator.comparingLong(Event::time))
                .forEach(e -> plan.add(tiles, e));
        return layout.assemble(tiles, current.time(), current);
    }

    private static double label(Event event) {
        return event.number("is_fraud");
    }

    private static Map<String, List<Event>> byEntity(List<Row> rows) {
        EventRows eventRows = new EventRows(specText.spec());
        Map<String, List<Event>> byEntity = new HashMap<>();
        rows.forEach(row -> byEntity.computeIfAbsent(eventRows.entityOf(row), k -> new ArrayList<>()).add(eventRows.toEvent(row)));
        return byEntity;
    }

    private static List<Row> randomEvents(Random random, int cards, int count) {
        long start = 1_600_000_000_000L;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // coarse times (whole minutes over ~10 days) so that equal timestamps happen
            long time = start + 60_000L * random.nextInt(14_400);
            rows.add(event("card" + random.nextInt(cards), time, Math.round(random.nextDouble() * 50_000) / 100.0,
                    CATEGORIES[random.nextInt(CATEGORIES.length)], random.nextInt(20) == 0 ? 1 : 0));
        }
        return rows;
    }

    /** A row of the events table (the spec's fields in order, then event_time). */
    private static Row event(String card, long time, double amt, String category, int fraud) {
        return RowFactory.create(card, amt, category, "merchant_" + Math.floorMod(card.hashCode() + (int) (time / 60_000), 7),
                1000L, fraud, new Timestamp(time));
    }

    private static org.apache.spark.sql.types.StructType eventSchema() {
        PipelineSpec spec = specText.spec();
        assertThat(List.copyOf(spec.source().fields().keySet())).containsExactly("cc_num", "amt", "category", "merchant", "city_pop", "is_fraud");
        return new PipelineTables(spark, spec).eventSchema()
                .apply(scala.jdk.javaapi.CollectionConverters.asScala(java.util.Set.of("cc_num", "amt", "category", "merchant", "city_pop",
                        "is_fraud", PipelineTables.EVENT_TIME)).toSet());
    }
}
