package io.tessera.jobs.launch;

/**
 * A layer that runs in a JVM of its own, with its own classpath (Spark and Flink never share one); its
 * heap and further JVM options are the settings {@code <module>.heap} and {@code <module>.jvm.options}.
 */
public enum Layer {
    BATCH("batch-layer", "io.tessera.batch.BatchJob", false),
    SPEED("speed-layer", "io.tessera.speed.SpeedJob", true),
    SERVING("serving-layer", "io.tessera.serving.api.ServeMain", false);

    private final String module;
    private final String mainClass;
    private final boolean fixedHeap;

    Layer(String module, String mainClass, boolean fixedHeap) {
        this.module = module;
        this.mainClass = mainClass;
        this.fixedHeap = fixedHeap;
    }

    /**
     * True if the JVM starts with its whole heap ({@code -Xms} = {@code -Xmx}): the speed layer's
     * generations are shares of it ({@code speed-layer.jvm.options}), and from a small initial heap its old
     * generation was too small to take what the young one promoted, collected whole again and again.
     */
    public boolean fixedHeap() {
        return fixedHeap;
    }

    public String module() {
        return module;
    }

    public String mainClass() {
        return mainClass;
    }
}
