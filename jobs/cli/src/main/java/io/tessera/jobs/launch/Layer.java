package io.tessera.jobs.launch;

/**
 * A layer that runs in a JVM of its own, with its own classpath (Spark and Flink never share one); its
 * heap and further JVM options are the settings {@code <module>.heap} and {@code <module>.jvm.options}.
 */
public enum Layer {
    BATCH("batch-layer", "io.tessera.batch.BatchJob"),
    SPEED("speed-layer", "io.tessera.speed.SpeedJob"),
    SERVING("serving-layer", "io.tessera.serving.api.ServeMain");

    private final String module;
    private final String mainClass;

    Layer(String module, String mainClass) {
        this.module = module;
        this.mainClass = mainClass;
    }

    public String module() {
        return module;
    }

    public String mainClass() {
        return mainClass;
    }
}
