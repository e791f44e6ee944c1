package io.tessera.jobs.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.contract.SnapshotRef;
import io.tessera.featurestore.contract.TrainingProvenance;
import io.tessera.featurestore.model.ModelArtifact;
import io.tessera.featurestore.model.ModelBody;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.featurestore.spec.Algorithm;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.Task;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.vector.FeatureLayout;
import io.tessera.serving.store.ServingStore;
import io.tessera.serving.store.ViewPublication;
import io.tessera.stack.junit.TestStack;
import picocli.CommandLine;

/** What the tests of {@code platform} commands share: the command line as an operator runs it, a pipeline of their own, Cassandra's view of it. */
final class PlatformFixture {

    record Run(int exitCode, String out, String err) {
    }

    private PlatformFixture() {
    }

    /**
     * Runs {@code platform <platform> <args>} in this JVM, its output captured (and echoed for the test's
     * log): the command's own, and that of the layer's JVM it launches.
     */
    static Run platform(String[] platform, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream jobErr = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(jobErr, true, StandardCharsets.UTF_8));
        StringWriter err = new StringWriter();
        CommandLine commandLine = PlatformCommand.commandLine();   // after the redirection: picocli may bind System.err as it builds
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(platform));
        all.addAll(List.of(args));
        int exitCode;
        try {
            exitCode = commandLine.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        String errors = err + jobErr.toString(StandardCharsets.UTF_8);   // the command's own first: tests read its first line
        System.out.print(text);
        System.err.print(errors);
        return new Run(exitCode, text, errors);
    }

    /** A card pipeline named {@code pipeline}: JSON events on the topic of the same name, serving keyspace too. */
    static Path writeSpec(Path dir, String pipeline) throws Exception {
        return Files.writeString(dir.resolve(pipeline + ".yaml"), """
                pipeline: %s
                entity: { name: card, key: card }
                source:
                  topic: %s
                  format: json
                  timestamp: { field: ts, format: epoch_millis }
                  fields: { card: string, amt: double, merchant: string, fraud: int }
                  max_lateness: 1h
                features:
                  tile: 1h
                  aggregations:
                    - { name: n, op: count, windows: [1h, 24h] }
                    - { name: total, op: sum, of: amt, windows: [24h] }
                label: { field: fraud }
                model: { task: binary_classification, algorithm: logistic_regression }
                serving: { view: %s }
                """.formatted(pipeline, pipeline, pipeline));
    }

    /** {@code count} JSON events of cards c0..c2, a second apart, the first {@code agoMillis} before now. */
    static Path writeEvents(Path file, int count, long agoMillis, String merchant) throws Exception {
        long start = System.currentTimeMillis() - agoMillis;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add("{\"card\":\"c%d\",\"ts\":%d,\"amt\":%d.5,\"merchant\":\"%s%d\",\"fraud\":0}".formatted(i % 3, start + i * 1000L, i, merchant, i));
        }
        return Files.write(file, lines);
    }

    /**
     * Publishes a batch view without rows whose champion is a logistic regression over the spec's layout
     * (written as the batch layer exports champions), so that the speed layer scores every event.
     */
    static ChampionRef publishChampion(TestStack stack, PipelineSpec spec, Path dir) throws Exception {
        FeatureLayout layout = FeatureLayout.of(spec, Map.of());
        double[] coefficients = new double[layout.size()];
        for (int i = 0; i < coefficients.length; i++) {
            coefficients[i] = 0.01 * (i + 1) * (i % 2 == 0 ? 1 : -1);
        }
        long now = System.currentTimeMillis();
        TrainingProvenance trained = new TrainingProvenance(1, now, "run", "training_set", spec.fingerprint(), layout.fingerprint());
        ModelArtifact artifact = ModelArtifact.of(spec.name(), 1, Task.BINARY_CLASSIFICATION, Algorithm.LOGISTIC_REGRESSION, layout.names(),
                Map.of(), new ModelBody.Linear(coefficients, -1.0), Map.of("maxIter", 3), Map.of(), trained.toMap());
        Path file = dir.resolve("model-v1.json");
        ModelFormat.write(artifact, file);
        ChampionRef champion = new ChampionRef(spec.name(), 1, file.toString(), ModelFormat.checksum(artifact));
        PublishedView view = new PublishedView(spec.name(), 1, new SnapshotRef(1001, 1, now - 86_400_000L), ServingCut.NONE, now - 86_400_000L,
                Optional.of(champion), Optional.empty(), spec.fingerprint(), FeaturePlan.of(spec).fingerprint(), layout.fingerprint(),
                layout.names(), Map.of(), 0, now);
        try (ServingStore store = ServingStore.open(ServingSettings.target(stack.settings()), spec.name(), spec.serving().view())) {
            store.migrate();
            ViewPublication publication = store.newPublication(view);
            publication.rowsWritten(publication.rowWriter().write(java.util.Collections.emptyIterator()));
            publication.commit();
        }
        return champion;
    }

    /**
     * The speed layer writes a key's partials to the realtime view on its next checkpoint (5 s); on a busy
     * machine its first attempts may fail and restart, and its keyspace appears with its first write.
     */
    static void awaitRealtimeKeys(TestStack stack, String keyspace, long keys) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress(stack.host(), stack.cassandraPort()))
                .withLocalDatacenter("datacenter1").build()) {
            long seen = 0;
            while (System.nanoTime() < deadline) {
                try {
                    seen = session.execute("SELECT DISTINCT entity FROM " + keyspace + ".realtime_view").all().size();
                    if (seen >= keys) {
                        return;
                    }
                } catch (InvalidQueryException notYetCreated) {
                    seen = 0;
                }
                Thread.sleep(500);
            }
            throw new AssertionError(seen + " keys in " + keyspace + ".realtime_view after 120 s, not " + keys);
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
