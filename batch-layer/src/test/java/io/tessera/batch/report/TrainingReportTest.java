package io.tessera.batch.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.batch.train.Champion;
import io.tessera.batch.train.ExportAgreement;
import io.tessera.batch.train.ExportCheck;
import io.tessera.batch.train.ModelTrainer;
import io.tessera.batch.train.PortableExport;
import io.tessera.batch.train.PromotionDecision;
import io.tessera.batch.train.PromotionGate;
import io.tessera.batch.train.TrainedModel;
import io.tessera.batch.train.TrainingTestBase;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Task;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import io.tessera.featurestore.contract.TrainingProvenance;
import io.tessera.featurestore.spec.Fingerprint;
import org.junit.jupiter.api.Test;

/**
 * Renders real reports from small trained models. The pages are also left under
 * {@code target/training-reports/} for a person to open.
 */
class TrainingReportTest extends TrainingTestBase {

    private static final Path OUT = Path.of("target", "training-reports");
    private static final Fingerprint LAYOUT = Fingerprint.of("the test vectors: " + FEATURES);
    private static final Map<String, String> PROVENANCE = provenance();

    private static Map<String, String> provenance() {
        Map<String, String> provenance = new java.util.LinkedHashMap<>(new TrainingProvenance(5512763321L,
                java.time.Instant.parse("2024-03-02T09:20:00Z").toEpochMilli(), "run-1", "lake.cards.training_set",
                Fingerprint.of("spec"), LAYOUT).toMap());
        provenance.put("trained_at", "2024-03-02T09:31:07Z");
        return provenance;
    }

    @Test
    void classificationReportComparesWithTheChampionOnTheSameHoldoutAndDrawsTheRocCurve() throws Exception {
        TrainedModel previous = train(Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, 21);
        ModelArtifact champion = PortableExport.export(previous, "cards", 1, Map.of(), PROVENANCE);
        TrainedModel trained = train(Task.BINARY_CLASSIFICATION, Algorithm.GBT, 21);

        TrainingReport report = report(trained, Optional.of(Champion.against(champion, trained, LAYOUT)));
        String html = report.html();
        report.write(OUT.resolve("classification.html"));

        assertThat(html).contains("<title>Training report: cards v2</title>", "5512763321", "2024-03-02T09:20:00Z",
                "<code class=\"set\">maxIter=15</code>", "<code>stepSize=0.1</code>", "champion cards v1", "trivial baseline", "ROC curve on the holdout",
                "<polyline class=\"roc\"", "Feature importances", "amt_z", "scored " + trained.holdout().size() + " holdout rows like Spark");
        assertThat(html).contains(report.decision().promote() ? "<h2>Promoted</h2>" : "<h2>Not promoted</h2>");
        assertThat(html).contains(Html.number(trained.evaluation().metrics().get("auc")));
        assertThat(html).doesNotContain("<script", "http://", "https://", "src=", "undefined:");
        assertSvgIsWellFormed(html);
        assertThat(Files.readString(OUT.resolve("classification.html"))).isEqualTo(html);
    }

    @Test
    void withoutPositivesTheReportSaysWhyThereIsNoAucOrRocInsteadOfDrawingOne() throws Exception {
        TrainedModel trained = new ModelTrainer(spec(Task.BINARY_CLASSIFICATION, Algorithm.RANDOM_FOREST,
                smallParams(Algorithm.RANDOM_FOREST)), FEATURES).train(classificationSet(1_200, 3, 0.8));

        TrainingReport report = report(trained, Optional.empty());
        String html = report.html();
        report.write(OUT.resolve("classification-no-positives.html"));

        String reason = "no positive labels among the " + trained.holdout().size() + " holdout rows";
        assertThat(html).contains("<td class=\"undefined\">undefined: " + reason + "</td>",
                "No ROC curve: it is undefined on this holdout (" + reason + ")",
                "Compared on log loss because auc is undefined", "No previous champion");
        assertThat(html).doesNotContain("<polyline class=\"roc\"");
        assertSvgIsWellFormed(html);
    }

    @Test
    void regressionReportPlotsResidualsAndEscapesEveryText() throws Exception {
        TrainedModel trained = train(Task.REGRESSION, Algorithm.RANDOM_FOREST, 22);
        Map<String, String> provenance = Map.of("snapshot_id", "77", "note", "<script>alert('x')</script> & \"more\"");
        ModelArtifact artifact = PortableExport.export(trained, "spend<b>", 1, Map.of(), provenance);
        PromotionDecision decision = new PromotionGate(trained.spec())
                .decide(trained.evaluation(), trained.baseline(), Optional.empty());

        TrainingReport report = new TrainingReport(artifact, trained, Optional.empty(), decision,
                ExportCheck.verify(artifact, trained.holdout()));
        String html = report.html();
        report.write(OUT.resolve("regression.html"));

        assertThat(html).contains("Residuals on the holdout", "<g class=\"residuals\"", "rmse", "mae",
                "always predicts the training mean", "spend&lt;b&gt; v1",
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;");
        assertThat(html).doesNotContain("<script", "spend<b>", "ROC");
        assertThat(countMatches(html, "<circle ")).isEqualTo(trained.holdout().size());
        assertSvgIsWellFormed(html);
    }

    private static TrainedModel train(Task task, Algorithm algorithm, long seed) {
        return new ModelTrainer(spec(task, algorithm, smallParams(algorithm)), FEATURES)
                .train(task == Task.REGRESSION ? regressionSet(1_500, seed) : classificationSet(1_500, seed));
    }

    private static TrainingReport report(TrainedModel trained, Optional<Champion> champion) {
        long version = champion.map(c -> c.version() + 1).orElse(1L);
        ModelArtifact artifact = PortableExport.export(trained, "cards", version, Map.of(), PROVENANCE);
        ExportAgreement agreement = ExportCheck.verify(artifact, trained.holdout());
        PromotionDecision decision = new PromotionGate(trained.spec())
                .decide(trained.evaluation(), trained.baseline(), champion);
        return new TrainingReport(artifact, trained, champion, decision, agreement);
    }

    /** Each inline SVG parses as XML: a stray unescaped character would break the picture. */
    private static void assertSvgIsWellFormed(String html) throws Exception {
        Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
        int count = 0;
        while (svg.find()) {
            DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.group().getBytes(StandardCharsets.UTF_8)));
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(1);
    }

    private static int countMatches(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }
}
