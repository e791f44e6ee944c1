package io.tessera.bench;

import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.Scorer;
import io.tessera.featurestore.spec.Algorithm;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scores per second on one thread, the speed layer's per-event cost. Target (issue 3): GBT with 50
 * trees of depth 5 at 500,000 scores/s or more on one core. Vectors rotate through 1,024 inputs so that
 * branches are not predicted perfectly and nothing is constant-folded.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScorerBenchmark {

    private static final int FEATURES = 30;

    @Param({"gbt", "random_forest", "logistic_regression"})
    public String algorithm;

    @Param({"50"})
    public int trees;

    @Param({"5"})
    public int depth;

    private Scorer scorer;
    private double[][] vectors;
    private int next;

    @Setup
    public void setUp() {
        Algorithm chosen = Algorithm.bySpecName(algorithm);
        ModelArtifact artifact = chosen == Algorithm.LOGISTIC_REGRESSION
                ? SyntheticModels.logistic(FEATURES, 11)
                : SyntheticModels.treeEnsemble(chosen, trees, depth, FEATURES, 11);
        scorer = Scorer.of(artifact);
        vectors = SyntheticModels.vectors(1024, FEATURES, 13);
    }

    @Benchmark
    public double score() {
        double[] x = vectors[next++ & 1023];
        return scorer.score(x);
    }
}
