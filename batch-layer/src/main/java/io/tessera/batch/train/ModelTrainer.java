package io.tessera.batch.train;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.tessera.featurestore.spec.ModelSpec;
import io.tessera.featurestore.spec.Task;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Fits the spec's MLlib model on a point-in-time training set and evaluates it on a time-based holdout.
 *
 * <p>The input has one row per labelled event: {@value #FEATURES} ({@code array<double>} in the order
 * of the given feature names), {@value #LABEL} (numeric; 0/1 for classification) and {@value
 * #EVENT_TIME} (timestamp). The holdout is the latest {@code spec.holdout()} fraction of the event-time
 * range ({@link TimeSplit}); the model never sees it. The model, the trivial baseline (the training
 * positive rate or mean) and, later, the champion are all evaluated on the same collected holdout rows,
 * by {@link HoldoutEvaluator}.
 *
 * <p>Deterministic for a given input and partitioning: tree learners get a fixed seed unless the spec
 * sets one. The input is cached for the duration of the call and released after.
 */
public final class ModelTrainer {

    public static final String FEATURES = "features";
    public static final String LABEL = "label";
    public static final String EVENT_TIME = "event_time";
    /**
     * At most this many holdout rows are brought to the driver; a larger holdout is sampled (seeded).
     * About 40 MB of vectors at 20 features: far below the driver's budget at 1M events.
     */
    public static final int DEFAULT_HOLDOUT_LIMIT = 250_000;

    private static final String VECTOR = "_features_vector";
    private static final String SCORE = "_score";
    private static final String IN_HOLDOUT = "_in_holdout";

    private final ModelSpec spec;
    private final List<String> featureNames;
    private final int holdoutLimit;

    public ModelTrainer(ModelSpec spec, List<String> featureNames) {
        this(spec, featureNames, DEFAULT_HOLDOUT_LIMIT);
    }

    /**
     * @param featureNames the feature layout's column names, the order of each {@value #FEATURES} array
     * @param holdoutLimit the most holdout rows collected to the driver
     */
    public ModelTrainer(ModelSpec spec, List<String> featureNames, int holdoutLimit) {
        if (!spec.algorithm().supports(spec.task())) {
            throw new IllegalArgumentException(spec.algorithm().specName() + " cannot do " + spec.task().specName());
        }
        if (!(spec.holdout() > 0 && spec.holdout() < 1)) {
            throw new IllegalArgumentException("holdout must be a fraction strictly between 0 and 1, got " + spec.holdout());
        }
        if (featureNames.isEmpty() || new HashSet<>(featureNames).size() != featureNames.size()) {
            throw new IllegalArgumentException("feature names must be a non-empty list of distinct names");
        }
        if (holdoutLimit < 1) {
            throw new IllegalArgumentException("holdout limit must be positive, got " + holdoutLimit);
        }
        this.spec = spec;
        this.featureNames = List.copyOf(featureNames);
        this.holdoutLimit = holdoutLimit;
    }

    /**
     * @throws TrainingSetException if the training set cannot be learned from (see there); nothing is
     *     fitted then
     */
    public TrainedModel train(Dataset<Row> trainingSet) {
        checkSchema(trainingSet.schema());
        Dataset<Row> rows = trainingSet
                .select(col(FEATURES), col(LABEL).cast(DataTypes.DoubleType).as(LABEL), col(EVENT_TIME))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long[] range = eventTimeRange(rows);
            long holdoutFrom = TimeSplit.holdoutFromMicros(range[0], range[1], spec.holdout());
            Dataset<Row> marked = rows
                    .withColumn(IN_HOLDOUT, unix_micros(col(EVENT_TIME)).geq(lit(holdoutFrom)))
                    .withColumn(VECTOR, functions.array_to_vector(col(FEATURES)));
            Row parts = marked.agg(
                    sum(when(col(IN_HOLDOUT), 0).otherwise(1)),
                    sum(when(col(IN_HOLDOUT), 1).otherwise(0)),
                    avg(when(not(col(IN_HOLDOUT)), col(LABEL))),
                    min(when(not(col(IN_HOLDOUT)), col(LABEL))),
                    max(when(not(col(IN_HOLDOUT)), col(LABEL)))).first();
            long trainingRows = parts.getLong(0);
            long holdoutRows = parts.getLong(1);
            TimeSplit split = new TimeSplit(TimeSplit.instantOfMicros(range[0]), TimeSplit.instantOfMicros(range[1]),
                    TimeSplit.instantOfMicros(holdoutFrom), spec.holdout(), trainingRows, holdoutRows);
            if (trainingRows == 0 || holdoutRows == 0) {
                throw new TrainingSetException("cannot hold out the latest " + spec.holdout() + " of event time "
                        + split.earliest() + " .. " + split.latest() + ": " + trainingRows + " training rows, "
                        + holdoutRows + " holdout rows");
            }
            double trainingMean = parts.getDouble(2);
            if (spec.task() == Task.BINARY_CLASSIFICATION && parts.getDouble(3) == parts.getDouble(4)) {
                throw new TrainingSetException("the " + trainingRows + " training rows (before " + split.holdoutFrom()
                        + ") are all labelled " + parts.getDouble(3) + ": a classifier needs both classes");
            }

            MllibLearner learner = MllibLearner.of(spec, VECTOR, LABEL);
            PredictionModel<Vector, ?> model = learner.fit(marked.filter(not(col(IN_HOLDOUT))));
            ScoredHoldout holdout = scoreHoldout(model, marked.filter(col(IN_HOLDOUT)), holdoutRows);

            Evaluation evaluation = HoldoutEvaluator.evaluate(spec.task(), holdout.labels(), holdout.sparkScores());
            double[] constant = new double[holdout.size()];
            Arrays.fill(constant, trainingMean);
            Evaluation baseline = HoldoutEvaluator.evaluate(spec.task(), holdout.labels(), constant);
            return new TrainedModel(spec, featureNames, model, learner.effectiveParams(), split, trainingMean,
                    evaluation, baseline, importances(model), holdout);
        } finally {
            rows.unpersist();
        }
    }

    private void checkSchema(StructType schema) {
        Map<String, DataType> types = new HashMap<>();
        for (StructField field : schema.fields()) {
            types.put(field.name(), field.dataType());
        }
        requireType(types, FEATURES, DataTypes.createArrayType(DataTypes.DoubleType), "array<double>");
        requireType(types, EVENT_TIME, DataTypes.TimestampType, "timestamp");
        DataType label = types.get(LABEL);
        if (label == null || !(label instanceof NumericType)) {
            throw new TrainingSetException("the training set needs a numeric column '" + LABEL + "', got "
                    + (label == null ? "none" : label.simpleString()));
        }
    }

    private static void requireType(Map<String, DataType> types, String column, DataType expected, String name) {
        DataType actual = types.get(column);
        boolean ok = actual != null && (actual instanceof ArrayType a && expected instanceof ArrayType e
                ? a.elementType().equals(e.elementType())
                : actual.equals(expected));
        if (!ok) {
            throw new TrainingSetException("the training set needs a column '" + column + "' of type " + name + ", got "
                    + (actual == null ? "none" : actual.simpleString()));
        }
    }

    /** {min, max} event time in microseconds, after checking every row is complete and well-formed. */
    private long[] eventTimeRange(Dataset<Row> rows) {
        Column incomplete = col(FEATURES).isNull().or(col(LABEL).isNull()).or(col(EVENT_TIME).isNull())
                .or(exists(col(FEATURES), Column::isNull));
        Column badLabel = spec.task() == Task.BINARY_CLASSIFICATION
                ? not(col(LABEL).isin(0.0, 1.0))
                : col(LABEL).isNaN().or(col(LABEL).equalTo(Double.POSITIVE_INFINITY))
                        .or(col(LABEL).equalTo(Double.NEGATIVE_INFINITY));
        Row profile = rows.agg(
                count(lit(1)),
                min(unix_micros(col(EVENT_TIME))),
                max(unix_micros(col(EVENT_TIME))),
                sum(when(incomplete, 1).otherwise(0)),
                sum(when(size(col(FEATURES)).notEqual(featureNames.size()), 1).otherwise(0)),
                sum(when(badLabel, 1).otherwise(0))).first();
        long total = profile.getLong(0);
        if (total == 0) {
            throw new TrainingSetException("the training set is empty");
        }
        if (profile.getLong(3) > 0) {
            throw new TrainingSetException(profile.getLong(3) + " of " + total + " training rows have a null "
                    + FEATURES + ", feature value, " + LABEL + " or " + EVENT_TIME);
        }
        if (profile.getLong(4) > 0) {
            throw new TrainingSetException(profile.getLong(4) + " of " + total + " training rows do not have "
                    + featureNames.size() + " features " + featureNames);
        }
        if (profile.getLong(5) > 0) {
            throw new TrainingSetException(profile.getLong(5) + " of " + total + " training rows have a label that is "
                    + (spec.task() == Task.BINARY_CLASSIFICATION ? "not 0 or 1" : "not a finite number"));
        }
        return new long[] {profile.getLong(1), profile.getLong(2)};
    }

    private ScoredHoldout scoreHoldout(PredictionModel<Vector, ?> model, Dataset<Row> holdout, long holdoutRows) {
        Dataset<Row> evaluated = holdout;
        if (holdoutRows > holdoutLimit) {
            evaluated = holdout.sample(false, Math.min(1.0, 1.05 * holdoutLimit / holdoutRows), MllibLearner.DEFAULT_SEED)
                    .limit(holdoutLimit);
        }
        Column score = spec.task() == Task.BINARY_CLASSIFICATION
                ? functions.vector_to_array(col("probability"), "float64").getItem(1)
                : col("prediction");
        List<Row> scored = model.transform(evaluated).select(col(VECTOR), col(LABEL), score.as(SCORE)).collectAsList();
        int n = scored.size();
        double[][] features = new double[n][];
        double[] labels = new double[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            Row row = scored.get(i);
            // DenseVector hands over its primitive array: no boxing per feature
            features[i] = ((Vector) row.get(0)).toArray();
            labels[i] = row.getDouble(1);
            scores[i] = row.getDouble(2);
        }
        return new ScoredHoldout(featureNames, features, labels, scores, holdoutRows);
    }

    private FeatureImportances importances(PredictionModel<Vector, ?> model) {
        Vector treeImportances = null;
        if (model instanceof GBTClassificationModel m) {
            treeImportances = m.featureImportances();
        } else if (model instanceof GBTRegressionModel m) {
            treeImportances = m.featureImportances();
        } else if (model instanceof RandomForestClassificationModel m) {
            treeImportances = m.featureImportances();
        } else if (model instanceof RandomForestRegressionModel m) {
            treeImportances = m.featureImportances();
        }
        if (treeImportances != null) {
            return FeatureImportances.of(FeatureImportances.TREE_GAIN, featureNames, treeImportances.toArray());
        }
        double[] coefficients;
        if (model instanceof LogisticRegressionModel lr) {
            coefficients = lr.coefficients().toArray();
        } else if (model instanceof LinearRegressionModel linear) {
            coefficients = linear.coefficients().toArray();
        } else {
            throw new IllegalStateException("no importances for " + model.getClass().getName());
        }
        double[] absolute = new double[coefficients.length];
        for (int i = 0; i < coefficients.length; i++) {
            absolute[i] = Math.abs(coefficients[i]);
        }
        return FeatureImportances.of(FeatureImportances.ABS_COEFFICIENT, featureNames, absolute);
    }
}
