package io.tessera.jobs.launch;

import io.tessera.stack.JvmCommand;
import java.util.List;

/** A layer that runs in a JVM of its own, with its own classpath (Spark and Flink never share one) and the options its JVM needs beyond the heap. */
public enum Layer {
    BATCH("batch-layer", "io.tessera.batch.BatchJob", List.of()),
    SPEED("speed-layer", "io.tessera.speed.SpeedJob", List.of(JvmCommand.STREAMING_COLLECTOR)),
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
