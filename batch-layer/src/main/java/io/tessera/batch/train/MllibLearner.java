package io.tessera.batch.train;

import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.ModelSpec;
import io.tessera.featurestore.spec.Task;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.RandomForestRegressor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The MLlib estimator a spec's model section names, configured with the spec's parameters. */
final class MllibLearner {

    /**
     * The seed of the randomized learners (trees) when the spec sets none. Spark's own default is a hash
     * of the class name, which is also fixed; setting ours makes it visible in the recorded params.
     */
    static final long DEFAULT_SEED = 42L;

    private final Algorithm algorithm;
    private final Predictor<Vector, ?, ?> predictor;

    private MllibLearner(Algorithm algorithm, Predictor<Vector, ?, ?> predictor) {
        this.algorithm = algorithm;
        this.predictor = predictor;
    }

    /**
     * @throws IllegalArgumentException if the algorithm cannot do the task, or a parameter is unknown to
     *     Spark's estimator or has a value Spark rejects
     */
    static MllibLearner of(ModelSpec spec, String featuresCol, String labelCol) {
        Predictor<Vector, ?, ?> predictor = estimator(spec.algorithm(), spec.task());
        predictor.setFeaturesCol(featuresCol);
        predictor.setLabelCol(labelCol);
        if (predictor.hasParam("seed")) {
            predictor.set(predictor.getParam("seed"), DEFAULT_SEED);
        }
        spec.params().forEach((name, value) -> {
            if (!predictor.hasParam(name)) {
                throw new IllegalArgumentException(predictor.getClass().getSimpleName() + " has no parameter '" + name + "'");
            }
            Param<Object> param = predictor.getParam(name);
            // Spark checks the value's class at fit time; a spec read back from JSON may hold an Integer
            // where Spark wants a Long or a Double, so convert numbers to what the Param declares.
            predictor.set(param, asSparkType(param, value));
        });
        return new MllibLearner(spec.algorithm(), predictor);
    }

    PredictionModel<Vector, ?> fit(Dataset<Row> training) {
        return predictor.fit(training);
    }

    /**
     * Every parameter the spec may set for this algorithm ({@link Algorithm#params()}) that Spark's
     * estimator has, with the value it trains with: the spec's or Spark's default.
     */
    Map<String, Object> effectiveParams() {
        Map<String, Object> params = new LinkedHashMap<>();
        for (String name : algorithm.params().keySet().stream().sorted().toList()) {
            if (predictor.hasParam(name)) {
                Param<Object> param = predictor.getParam(name);
                if (predictor.isDefined(param)) {
                    params.put(name, predictor.getOrDefault(param));
                }
            }
        }
        return params;
    }

    private static Predictor<Vector, ?, ?> estimator(Algorithm algorithm, Task task) {
        if (!algorithm.supports(task)) {
            throw new IllegalArgumentException(algorithm.specName() + " cannot do " + task.specName());
        }
        boolean classification = task == Task.BINARY_CLASSIFICATION;
        return switch (algorithm) {
            // binomial: one coefficient vector and one intercept, which is what the export carries
            case LOGISTIC_REGRESSION -> new LogisticRegression().setFamily("binomial");
            case LINEAR_REGRESSION -> new LinearRegression();
            case GBT -> classification ? new GBTClassifier() : new GBTRegressor();
            case RANDOM_FOREST -> classification ? new RandomForestClassifier() : new RandomForestRegressor();
        };
    }

    private static Object asSparkType(Param<Object> param, Object value) {
        if (value instanceof Number number) {
            if (param instanceof DoubleParam) {
                return number.doubleValue();
            }
            if (param instanceof LongParam) {
                return number.longValue();
            }
            if (param instanceof IntParam) {
                if (number.longValue() != number.intValue() || number.doubleValue() != number.longValue()) {
                    throw new IllegalArgumentException("parameter " + param.name() + " must be an integer, got " + value);
                }
                return number.intValue();
            }
        }
        return value;
    }
}
