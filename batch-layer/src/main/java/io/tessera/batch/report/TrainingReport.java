package io.tessera.batch.report;

import static io.tessera.batch.report.Html.escape;
import static io.tessera.batch.report.Html.number;

import io.tessera.batch.train.Champion;
import io.tessera.batch.train.Evaluation;
import io.tessera.batch.train.ExportAgreement;
import io.tessera.batch.train.PromotionDecision;
import io.tessera.batch.train.ScoredHoldout;
import io.tessera.batch.train.TimeSplit;
import io.tessera.batch.train.TrainedModel;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.spec.Metric;
import io.tessera.featurestore.spec.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The page people read about one trained model: what it is and what data it learned from, how it did on
 * the holdout against the champion and the trivial baseline, its ROC curve or residuals, its feature
 * importances, the export check and the promotion decision.
 *
 * <p>One self-contained HTML file: inline CSS and SVG, no scripts, no external assets, so it can be
 * archived next to the artifact and opened anywhere. Every piece of text is escaped (model names,
 * feature names, provenance and reasons come from specs and data).
 *
 * @param artifact the exported model (name, version, params, provenance such as {@code snapshot_id}
 *     and {@code cutoff})
 * @param trained the training run: split, evaluations, importances, the scored holdout
 * @param champion the champion it was compared with; empty for the first model
 * @param decision the promotion gate's decision
 * @param exportCheck the proof that the export scores like Spark
 */
public record TrainingReport(ModelArtifact artifact, TrainedModel trained, Optional<Champion> champion,
                             PromotionDecision decision, ExportAgreement exportCheck) {

    private static final List<String> CLASSIFICATION_ROWS = List.of(Metric.AUC.specName(), Metric.LOGLOSS.specName(),
            Evaluation.PRECISION, Evaluation.RECALL, Evaluation.ROWS, Evaluation.POSITIVES);
    private static final List<String> REGRESSION_ROWS = List.of(Metric.RMSE.specName(), Metric.MAE.specName(),
            Evaluation.ROWS);
    /** Provenance shown in the header; the rest is listed at the end. */
    private static final Set<String> HEADER_PROVENANCE = Set.of("snapshot_id", "cutoff", "training_rows", "holdout_rows",
            "holdout_evaluated_rows", "event_time_min", "event_time_max", "holdout_from", "holdout_fraction");

    public TrainingReport {
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(trained, "trained");
        Objects.requireNonNull(champion, "champion");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(exportCheck, "exportCheck");
    }

    /** Writes the page atomically: a reader sees the previous file or the whole new one. */
    public void write(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.writeString(temp, html(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training report " + file, e);
        }
    }

    public String html() {
        String title = artifact.name() + " v" + artifact.version();
        StringBuilder page = new StringBuilder(32_768);
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Training report: ").append(escape(title)).append("</title><style>").append(STYLE)
                .append("</style></head><body>\n");
        page.append("<h1>Training report: ").append(escape(title)).append("</h1>\n<p class=\"subtitle\">")
                .append(escape(artifact.task().specName())).append(" · ").append(escape(artifact.algorithm().specName()))
                .append(" · ").append(artifact.features().size()).append(" features")
                .append(artifact.provenance().containsKey("trained_at")
                        ? " · trained " + escape(artifact.provenance().get("trained_at")) : "")
                .append("</p>\n");
        decision(page);
        header(page);
        metrics(page);
        curve(page);
        importances(page);
        exportConsistency(page);
        provenance(page);
        return page.append("</body></html>\n").toString();
    }

    private void decision(StringBuilder page) {
        page.append("<section class=\"decision ").append(decision.promote() ? "promoted" : "rejected")
                .append("\"><h2>").append(decision.promote() ? "Promoted" : "Not promoted").append("</h2><p>")
                .append(escape(decision.reason())).append("</p><p class=\"small\">Gate metric: ")
                .append(escape(decision.metricUsed())).append(" · candidate ")
                .append(escape(number(decision.candidateValue()))).append(" · ")
                .append(champion.isPresent() ? "champion " : "baseline ")
                .append(decision.championValue() == null ? "none" : escape(number(decision.championValue())))
                .append("</p></section>\n");
    }

    private void header(StringBuilder page) {
        Map<String, String> p = artifact.provenance();
        TimeSplit split = trained.split();
        ScoredHoldout holdout = trained.holdout();
        page.append("<section class=\"facts\"><div><h2>Model</h2><table>");
        row(page, "Name", artifact.name());
        row(page, "Version", Long.toString(artifact.version()));
        row(page, "Task", artifact.task().specName());
        row(page, "Algorithm", artifact.algorithm().specName());
        // the spec's own settings stand out from Spark's defaults
        page.append("<tr><th>Parameters</th><td class=\"params\">");
        artifact.params().forEach((name, value) -> page
                .append(trained.spec().params().containsKey(name) ? "<code class=\"set\">" : "<code>")
                .append(escape(name)).append('=').append(escape(String.valueOf(value))).append("</code> "));
        page.append("<div class=\"small\">bold: set by the spec; the rest are Spark's defaults</div></td></tr>");
        row(page, "Features", String.join(", ", artifact.features()));
        artifact.vocabularies().forEach((feature, categories) -> row(page, "Vocabulary of " + feature,
                categories.size() + " categories: " + String.join(", ", categories)));
        page.append("</table></div><div><h2>Data</h2><table>");
        row(page, "Training snapshot", p.getOrDefault("snapshot_id", "not recorded"));
        row(page, "Cutoff", p.getOrDefault("cutoff", "not recorded"));
        rowHtml(page, "Event time", time(split.earliest()) + " to " + time(split.latest()));
        rowHtml(page, "Training rows", split.trainingRows() + " (event time before " + time(split.holdoutFrom()) + ")");
        rowHtml(page, "Holdout rows", split.holdoutRows() + " (the latest " + escape(number(split.holdoutFraction() * 100))
                + "% of event time, from " + time(split.holdoutFrom()) + ")");
        if (holdout.sampled()) {
            row(page, "Evaluated on", holdout.size() + " of the " + holdout.totalRows()
                    + " holdout rows (a seeded sample: the trainer's limit)");
        }
        row(page, "Baseline", trained.baselineDescription());
        page.append("</table></div></section>\n");
    }

    private void metrics(StringBuilder page) {
        page.append("<section><h2>Holdout metrics</h2>");
        Optional<Champion> c = champion;
        if (c.isEmpty()) {
            page.append("<p>No previous champion: this is the first model, judged against the trivial baseline.</p>");
        } else if (!c.get().onCandidateHoldout()) {
            page.append("<p class=\"note\">The champion cannot score this holdout (it was trained on other features): "
                    + "its column shows the metrics it recorded on its own holdout, which are not directly comparable.</p>");
        }
        List<String> names = new ArrayList<>(artifact.task() == Task.BINARY_CLASSIFICATION ? CLASSIFICATION_ROWS : REGRESSION_ROWS);
        Set<String> extra = new LinkedHashSet<>(trained.evaluation().metrics().keySet());
        extra.addAll(trained.evaluation().undefined().keySet());
        extra.removeAll(names);
        names.addAll(extra);
        page.append("<table class=\"metrics\"><thead><tr><th>metric</th><th>candidate v").append(artifact.version())
                .append("</th>");
        c.ifPresent(ch -> page.append("<th>champion ").append(escape(ch.name() + " v" + ch.version()))
                .append(ch.onCandidateHoldout() ? "" : " <span class=\"small\">(own holdout)</span>").append("</th>"));
        page.append("<th>trivial baseline</th></tr></thead><tbody>");
        String gate = decision.metricUsed();
        for (String name : names) {
            page.append(name.equals(gate) ? "<tr class=\"gate\">" : "<tr>").append("<th>").append(escape(name))
                    .append(name.equals(gate) ? " <span class=\"small\">(gate)</span>" : "").append("</th>");
            cell(page, trained.evaluation(), name);
            c.ifPresent(ch -> cell(page, ch.evaluation(), name));
            cell(page, trained.baseline(), name);
            page.append("</tr>");
        }
        page.append("</tbody></table><p class=\"small\">")
                .append(artifact.task() == Task.BINARY_CLASSIFICATION
                        ? "Precision and recall flag a row when its probability is above 0.5. " : "")
                .append("A metric that cannot be computed on this holdout is shown as undefined with the reason, "
                        + "never estimated.</p></section>\n");
    }

    private static void cell(StringBuilder page, Evaluation evaluation, String name) {
        Double value = evaluation.metrics().get(name);
        if (value != null) {
            page.append("<td class=\"num\">").append(escape(number(value))).append("</td>");
        } else {
            Optional<String> why = evaluation.whyUndefined(name);
            page.append(why.isPresent()
                    ? "<td class=\"undefined\">undefined: " + escape(why.get()) + "</td>"
                    : "<td class=\"missing\">not recorded</td>");
        }
    }

    private void curve(StringBuilder page) {
        ScoredHoldout holdout = trained.holdout();
        if (artifact.task() == Task.REGRESSION) {
            page.append("<section><h2>Residuals on the holdout</h2>")
                    .append(ResidualPlot.svg(holdout.labels(), holdout.sparkScores(),
                            "Residuals against predictions on " + holdout.size() + " holdout rows"))
                    .append("</section>\n");
            return;
        }
        page.append("<section><h2>ROC curve on the holdout</h2>");
        Optional<RocCurve> roc = RocCurve.of(holdout.labels(), holdout.sparkScores());
        if (roc.isEmpty()) {
            String why = trained.evaluation().whyUndefined(Metric.AUC.specName())
                    .orElse("the holdout holds only one class");
            page.append("<p class=\"undefined\">No ROC curve: it is undefined on this holdout (").append(escape(why))
                    .append("). A curve needs both positive and negative rows.</p>");
        } else {
            Double auc = trained.evaluation().metrics().get(Metric.AUC.specName());
            page.append(roc.get().svg("ROC curve, AUC " + (auc == null ? "undefined" : number(auc))))
                    .append("<p class=\"small\">AUC ").append(auc == null ? "undefined" : escape(number(auc)))
                    .append("; the dashed diagonal is a model that ranks at random.</p>");
        }
        page.append("</section>\n");
    }

    private void importances(StringBuilder page) {
        page.append("<section><h2>Feature importances</h2><p class=\"small\">")
                .append(escape(trained.importances().method())).append("</p>")
                .append(ImportanceBars.svg(trained.importances().byFeature(), "Feature importances"));
        int hidden = trained.importances().byFeature().size() - ImportanceBars.MAX_BARS;
        if (hidden > 0) {
            page.append("<p class=\"small\">").append(hidden).append(" less important features not shown.</p>");
        }
        page.append("</section>\n");
    }

    private void exportConsistency(StringBuilder page) {
        page.append("<section><h2>Portable export</h2><p>The exported model (what the speed and serving layers score "
                + "with) scored ").append(exportCheck.rows()).append(" holdout rows like Spark: largest difference ")
                .append(escape(number(exportCheck.maxDifference()))).append(" (allowed ")
                .append(escape(number(exportCheck.tolerance()))).append(").</p></section>\n");
    }

    private void provenance(StringBuilder page) {
        // the header shows the data facts and the metrics table the undefined metrics with their reasons
        Map<String, String> rest = new LinkedHashMap<>();
        artifact.provenance().forEach((key, value) -> {
            if (!HEADER_PROVENANCE.contains(key) && !key.startsWith("undefined_metric.")) {
                rest.put(key, value);
            }
        });
        if (rest.isEmpty()) {
            return;
        }
        page.append("<section><h2>Also recorded with the model</h2><table>");
        rest.forEach((key, value) -> row(page, key, value));
        page.append("</table></section>\n");
    }

    private static void row(StringBuilder page, String name, String value) {
        rowHtml(page, name, escape(value));
    }

    private static void rowHtml(StringBuilder page, String name, String html) {
        page.append("<tr><th>").append(escape(name)).append("</th><td>").append(html).append("</td></tr>");
    }

    /** An instant that does not break across lines. */
    private static String time(Instant instant) {
        String text = escape(instant.toString());
        return "<time datetime=\"" + text + "\">" + text + "</time>";
    }

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;max-width:1100px;\
            margin:24px auto;padding:0 16px;line-height:1.4}
            h1{font-size:1.6em;margin-bottom:0}h2{font-size:1.15em;margin:0 0 8px}
            .subtitle{color:#555;margin-top:4px}section{margin:20px 0}
            .decision{border-left:6px solid;padding:8px 16px;background:#f7f7f7}
            .promoted{border-color:#2e7d32}.promoted h2{color:#2e7d32}
            .rejected{border-color:#c62828}.rejected h2{color:#c62828}
            .facts{display:flex;gap:32px;flex-wrap:wrap}.facts>div{flex:1;min-width:380px}
            table{border-collapse:collapse}th,td{text-align:left;padding:4px 10px;border-bottom:1px solid #e3e3e3;\
            vertical-align:top}th{font-weight:600}
            .metrics td,.metrics thead th{min-width:130px}.num{font-variant-numeric:tabular-nums}
            .gate{background:#eef4fb}.undefined{color:#8a4b00}.missing{color:#888}
            .small{font-size:.85em;color:#555}.note{color:#8a4b00}
            .params code{display:inline-block;margin:0 6px 3px 0;white-space:nowrap}.params code.set{font-weight:700}
            code{font-size:.9em}time{white-space:nowrap}
            svg text{font-family:inherit;font-size:12px;fill:#333}svg .axis{font-size:13px}
            """;
}
