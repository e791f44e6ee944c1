package io.tessera.batch.train;

import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.Metric;
import io.tessera.featurestore.spec.ModelSpec;
import io.tessera.featurestore.spec.Task;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A local Spark session shared by every training and report test in the JVM (starting one costs
 * seconds), and small synthetic training sets with real signal, in the trainer's input schema.
 */
public abstract class TrainingTestBase {

    protected static final List<String> FEATURES = List.of("amt_z", "velocity_z", "hour", "foreign");
    protected static final Instant START = Instant.parse("2024-03-01T00:00:00Z");
    protected static final StructType SCHEMA = new StructType()
            .add(ModelTrainer.FEATURES, DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add(ModelTrainer.LABEL, DataTypes.DoubleType, false)
            .add(ModelTrainer.EVENT_TIME, DataTypes.TimestampType, false);

    protected static synchronized SparkSession spark() {
        return io.tessera.batch.TestSpark.local();
    }

    /**
     * Card-like rows, one a minute: P(label 1) = sigmoid(-1.5 + 1.5·amt_z − velocity_z + 0.15·hour +
     * 0.8·foreign). Every row from {@code positivesOnlyBeforeFraction} of the time range on is labelled 0:
     * with 0.8 and a 20% holdout, the holdout has no positive, as in the real fraud sample.
     */
    protected static Dataset<Row> classificationSet(int rows, long seed, double positivesOnlyBeforeFraction) {
        Random random = new Random(seed);
        List<Row> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            double[] x = features(random);
            double logit = -1.5 + 1.5 * x[0] - x[1] + 0.15 * x[2] + 0.8 * x[3];
            double label = random.nextDouble() < 1.0 / (1.0 + Math.exp(-logit)) ? 1.0 : 0.0;
            if ((double) i / (rows - 1) >= positivesOnlyBeforeFraction) {
                label = 0.0;
            }
            out.add(row(x, label, i));
        }
        return spark().createDataFrame(out, SCHEMA);
    }

    protected static Dataset<Row> classificationSet(int rows, long seed) {
        return classificationSet(rows, seed, 2.0);
    }

    /** y = 2 + 3·amt_z − 1.5·velocity_z + 0.5·hour + 2·foreign + N(0, 0.5²), one row a minute. */
    protected static Dataset<Row> regressionSet(int rows, long seed) {
        Random random = new Random(seed);
        List<Row> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            double[] x = features(random);
            double y = 2 + 3 * x[0] - 1.5 * x[1] + 0.5 * x[2] + 2 * x[3] + 0.5 * random.nextGaussian();
            out.add(row(x, y, i));
        }
        return spark().createDataFrame(out, SCHEMA);
    }

    protected static ModelSpec spec(Task task, Algorithm algorithm, Map<String, Object> params) {
        Metric metric = Metric.defaultFor(task);
        return new ModelSpec(task, algorithm, params, metric, 0.2,
                metric.higherIsBetter() ? "candidate >= champion - 0.005" : "candidate <= champion");
    }

    /** Small but real: trees shallow and few, so a test fits in seconds on two shared cores. */
    protected static Map<String, Object> smallParams(Algorithm algorithm) {
        return switch (algorithm) {
            case LOGISTIC_REGRESSION, LINEAR_REGRESSION -> Map.of("maxIter", 50, "regParam", 0.01);
            case GBT -> Map.of("maxIter", 15, "maxDepth", 3);
            case RANDOM_FOREST -> Map.of("numTrees", 15, "maxDepth", 4);
        };
    }

    private static double[] features(Random random) {
        return new double[] {
            random.nextGaussian(),
            random.nextGaussian(),
            random.nextInt(24),
            random.nextDouble() < 0.2 ? 1.0 : 0.0
        };
    }

    private static Row row(double[] x, double label, int minute) {
        return RowFactory.create(x, label, Timestamp.from(START.plusSeconds(60L * minute)));
    }
}
