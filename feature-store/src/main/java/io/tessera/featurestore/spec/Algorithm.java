package io.tessera.featurestore.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Spark MLlib learners a pipeline can train, the tasks each can do, and the training parameters each
 * accepts (Spark's own names and types, so a typo is caught before a job runs).
 */
public enum Algorithm {
    LOGISTIC_REGRESSION("logistic_regression", Set.of(Task.BINARY_CLASSIFICATION), linearParams()),
    LINEAR_REGRESSION("linear_regression", Set.of(Task.REGRESSION), linearRegressionParams()),
    GBT("gbt", Set.of(Task.BINARY_CLASSIFICATION, Task.REGRESSION), gbtParams()),
    RANDOM_FOREST("random_forest", Set.of(Task.BINARY_CLASSIFICATION, Task.REGRESSION), forestParams());

    private final String specName;
    private final Set<Task> tasks;
    private final Map<String, ParamType> params;

    Algorithm(String specName, Set<Task> tasks, Map<String, ParamType> params) {
        this.specName = specName;
        this.tasks = tasks;
        this.params = params;
    }

    @JsonValue
    public String specName() {
        return specName;
    }

    public boolean supports(Task task) {
        return tasks.contains(task);
    }

    /** Parameter name to type, in Spark's spelling ({@code maxIter}). */
    public Map<String, ParamType> params() {
        return params;
    }

    @JsonCreator
    public static Algorithm bySpecName(String name) {
        return Arrays.stream(values()).filter(a -> a.specName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown algorithm '" + name + "'"));
    }

    private static Map<String, ParamType> linearParams() {
        Map<String, ParamType> p = new LinkedHashMap<>();
        p.put("maxIter", ParamType.INT);
        p.put("regParam", ParamType.DOUBLE);
        p.put("elasticNetParam", ParamType.DOUBLE);
        p.put("tol", ParamType.DOUBLE);
        p.put("fitIntercept", ParamType.BOOLEAN);
        p.put("standardization", ParamType.BOOLEAN);
        p.put("threshold", ParamType.DOUBLE);
        p.put("aggregationDepth", ParamType.INT);
        p.put("maxBlockSizeInMB", ParamType.DOUBLE);
        return Map.copyOf(p);
    }

    private static Map<String, ParamType> linearRegressionParams() {
        Map<String, ParamType> p = new LinkedHashMap<>(linearParams());
        p.remove("threshold");
        p.put("solver", ParamType.STRING);
        p.put("loss", ParamType.STRING);
        p.put("epsilon", ParamType.DOUBLE);
        return Map.copyOf(p);
    }

    private static Map<String, ParamType> treeParams() {
        Map<String, ParamType> p = new LinkedHashMap<>();
        p.put("maxDepth", ParamType.INT);
        p.put("maxBins", ParamType.INT);
        p.put("minInstancesPerNode", ParamType.INT);
        p.put("minWeightFractionPerNode", ParamType.DOUBLE);
        p.put("minInfoGain", ParamType.DOUBLE);
        p.put("subsamplingRate", ParamType.DOUBLE);
        p.put("featureSubsetStrategy", ParamType.STRING);
        p.put("impurity", ParamType.STRING);
        p.put("seed", ParamType.LONG);
        p.put("cacheNodeIds", ParamType.BOOLEAN);
        p.put("checkpointInterval", ParamType.INT);
        p.put("maxMemoryInMB", ParamType.INT);
        return p;
    }

    private static Map<String, ParamType> gbtParams() {
        Map<String, ParamType> p = treeParams();
        p.put("maxIter", ParamType.INT);
        p.put("stepSize", ParamType.DOUBLE);
        p.put("validationTol", ParamType.DOUBLE);
        p.put("lossType", ParamType.STRING);
        return Map.copyOf(p);
    }

    private static Map<String, ParamType> forestParams() {
        Map<String, ParamType> p = treeParams();
        p.put("numTrees", ParamType.INT);
        p.put("bootstrap", ParamType.BOOLEAN);
        return Map.copyOf(p);
    }
}
