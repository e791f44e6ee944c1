package io.tessera.featurestore.spec;

import java.util.Arrays;
import java.util.List;

/** How a model is evaluated on the holdout, and which direction is better. */
public enum Metric {
    AUC("auc", Task.BINARY_CLASSIFICATION, true),
    LOGLOSS("logloss", Task.BINARY_CLASSIFICATION, false),
    RMSE("rmse", Task.REGRESSION, false),
    MAE("mae", Task.REGRESSION, false);

    private final String specName;
    private final Task task;
    private final boolean higherIsBetter;

    Metric(String specName, Task task, boolean higherIsBetter) {
        this.specName = specName;
        this.task = task;
        this.higherIsBetter = higherIsBetter;
    }

    public String specName() {
        return specName;
    }

    public Task task() {
        return task;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The metric used when the spec names none. */
    public static Metric defaultFor(Task task) {
        return task == Task.BINARY_CLASSIFICATION ? AUC : RMSE;
    }

    public static List<String> specNamesFor(Task task) {
        return Arrays.stream(values()).filter(m -> m.task == task).map(Metric::specName).toList();
    }
}
