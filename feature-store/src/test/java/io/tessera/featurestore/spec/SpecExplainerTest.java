package io.tessera.featurestore.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.ExampleFiles;
import org.junit.jupiter.api.Test;

class SpecExplainerTest {

    private static final String EXPLAINED = SpecExplainer.explain(PipelineSpecs.parse(ExampleFiles.cardFraudSpec(), "pipeline.yaml"));

    @Test
    void listsTheResolvedVectorInOrder() {
        assertThat(EXPLAINED).contains(
                "feature vector: 13 columns, then the one_hot columns of category (up to 50 categories);",
                "  index  name                 type    window    tile  op               input\n"
                        + "  0      txn_count_1h         double  1h        1h    count            events\n",
                "  9      grocery_count_24h    double  24h       1h    count            events where category == 'grocery_pos'\n",
                "  10     merchants_7d_7d      double  7d        1h    approx_distinct  merchant\n",
                "  11     last_amt             double  lifetime  1h    last             amt\n",
                "  12     amt                  double  -         -     event            amt\n",
                "  13+    category=<category>  double  -         -     one_hot          category: one column per category, then category=__other__\n");
    }

    @Test
    void derivesTheStatePerKeyFromWindowsLatenessAndTile() {
        // 7d + 1h of lateness in 1h tiles, plus the tile being read: 170; 24h: 26
        assertThat(EXPLAINED).contains(
                "  txn_count      count            7d              170         3           510\n",
                "  amt_max        max              24h             26          10          260\n",
                "  last_amt       last             lifetime        1 (folded)  18          18\n",
                "plus the open head, the last 2h (max lateness 1h + one tile 1h)");
    }

    @Test
    void summarisesModelScheduleAndServing() {
        assertThat(EXPLAINED).contains(
                "model      binary_classification of is_fraud with gbt {maxIter=50, maxDepth=5}\n",
                "evaluation auc (higher is better) on the latest 20% of event time; promote if candidate >= champion - 0.005\n",
                "schedule   retrain at cron \"0 2 * * *\" (UTC); batch view refreshed at cron \"15 * * * *\"; lake maintenance at cron \"30 * * * *\"\n",
                "serving    view card_fraud\n");
    }

    @Test
    void saysWhenLabelsAreKnownAndWhatATrainingRowSees() {
        String spec = ExampleFiles.cardFraudSpec().replace("label: { field: is_fraud }", "label: { field: is_fraud, known_after: 30d }")
                .replace("  tile: 1h", "  tile: 1h\n  point_in_time: ingestion_time");

        String explained = SpecExplainer.explain(PipelineSpecs.parse(spec, "pipeline.yaml"));

        assertThat(explained).contains("binary_classification of is_fraud, known 30d after its event with gbt",
                "a training row sees only events ingested no later than its own (point_in_time: ingestion_time)");
    }

    @Test
    void showsWhenAFeatureOverTheLabelSeesEachLabelAndTheSlicesThatWaitForIt() {
        String spec = ExampleFiles.cardFraudSpec().replace("label: { field: is_fraud }", "label: { field: is_fraud, known_after: 30d }")
                .replace("    - { name: last_amt,        op: last,  of: amt }", """
                            - { name: last_amt,        op: last,  of: amt }
                            - { name: frauds,          op: sum,   of: is_fraud, windows: [7d] }
                            - { name: fraud_count,     op: count, where: "is_fraud == 1" }\
                        """);

        String explained = SpecExplainer.explain(PipelineSpecs.parse(spec, "pipeline.yaml"));

        assertThat(explained).containsPattern("frauds_7d +double +7d +1h +sum +is_fraud, each event's from 30d after it \\(its label known\\)\n")
                .containsPattern("fraud_count +double +lifetime +1h +count +events where is_fraud == 1, each event's from 30d after it")
                .contains("plus, in frauds, fraud_count (they read the label is_fraud), each event waits 30d for its label as a slice of"
                        + " its own: one slice per distinct event time of the last 30d per aggregation\n")
                .doesNotContainPattern("txn_count_1h .*its label known");
        assertThat(EXPLAINED).as("no feature reads the label").doesNotContain("waits", "its label known");
    }

    @Test
    void expandsFixedCategoriesInPlace() {
        String spec = ExampleFiles.cardFraudSpec().replace("encode: one_hot }", "encode: one_hot, categories: [grocery_pos, travel] }");

        String explained = SpecExplainer.explain(PipelineSpecs.parse(spec, "pipeline.yaml"));

        assertThat(explained).contains("feature vector: 15 columns\n",
                "  13     category=grocery_pos  double  -         -     one_hot          category == 'grocery_pos'\n",
                "  14     category=travel       double  -         -     one_hot          category == 'travel'\n");
    }
}
