package io.tessera.batch.train;

import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.ModelSpec;
import io.tessera.featurestore.spec.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.util.MLWritable;

/**
 * A model fitted by {@link ModelTrainer} and everything learned about it on the holdout: what the
 * export, the export check, the promotion gate, the registry and the report need.
 *
 * @param spec the model section of the pipeline spec it was trained for
 * @param featureNames the vector layout it was trained on
 * @param sparkModel the fitted MLlib model (one of the six kinds {@link PortableExport} covers)
 * @param params every training parameter the spec may set, with the value Spark used (the spec's, or
 *     Spark's default, and the seed), so the model can be rebuilt even if Spark's defaults move
 * @param split how the training set was cut by event time
 * @param baselinePrediction what the trivial baseline predicts for every row: the training positive rate
 *     (classification) or the training mean label (regression)
 * @param evaluation the model on the holdout
 * @param baseline the trivial baseline on the same holdout rows
 * @param importances per feature
 * @param holdout the evaluated holdout rows with Spark's scores
 */
public record TrainedModel(
        ModelSpec spec,
        List<String> featureNames,
        PredictionModel<Vector, ?> sparkModel,
        Map<String, Object> params,
        TimeSplit split,
        double baselinePrediction,
        Evaluation evaluation,
        Evaluation baseline,
        FeatureImportances importances,
        ScoredHoldout holdout) {

    public TrainedModel {
        featureNames = List.copyOf(featureNames);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public Task task() {
        return spec.task();
    }

    public Algorithm algorithm() {
        return spec.algorithm();
    }

    /**
     * Saves the fitted model with MLlib's own writer (every kind the trainer fits is {@link MLWritable}),
     * replacing whatever is at {@code path}: the exact model, for a rebuild or an audit, next to its
     * portable export.
     */
    public void saveSparkModel(String path) {
        try {
            ((MLWritable) sparkModel).write().overwrite().save(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the Spark model to " + path, e);
        }
    }

    /** What the baseline is, in words, for the gate's reason and the report. */
    public String baselineDescription() {
        return task() == Task.BINARY_CLASSIFICATION
                ? "always predicts the training positive rate " + PromotionGate.number(baselinePrediction)
                : "always predicts the training mean " + PromotionGate.number(baselinePrediction);
    }
}
