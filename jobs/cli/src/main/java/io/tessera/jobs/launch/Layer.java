package io.tessera.jobs.launch;

import java.util.List;

/** A layer that runs in a JVM of its own, with its own classpath (Spark and Flink never share one) and the options its JVM needs beyond the heap. */
public enum Layer {
    BATCH("batch-layer", "io.tessera.batch.BatchJob", List.of()),
    /**
     * The Parallel collector: the speed layer keeps every key's state on the heap and changes it per event,
     * which under G1 kept its refinement and collector threads at a quarter of a core; with the Parallel
     * collector the same run did 33% more events per second and peaked 20% lower in RSS, for longer pauses
     * (a full collection of 2.4 s at 3,000 events/s: docs/stack.md, "Flink").
     */
    SPEED("speed-layer", "io.tessera.speed.SpeedJob", List.of("-XX:+UseParallelGC")),
    SERVING("serving-layer", "io.tessera.serving.api.ServeMain", List.of());

    private final String module;
    private final String mainClass;
    private final List<String> jvmOptions;

    Layer(String module, String mainClass, List<String> jvmOptions) {
        this.module = module;
        this.mainClass = mainClass;
        this.jvmOptions = jvmOptions;
    }

    public String module() {
        return module;
    }

    public String mainClass() {
        return mainClass;
    }

    /** JVM options of the layer's process besides the heap (set from {@code <module>.heap}). */
    public List<String> jvmOptions() {
        return jvmOptions;
    }
}
