package io.tessera.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.serving.store.EntityReading;
import io.tessera.serving.store.ServingStore;
import io.tessera.jobs.demo.StackTour;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo end to end against the test stack: Spark and Flink in JVMs of their own, launched the way
 * {@code ./platform demo} launches them; what Cassandra serves is what the lake says was published.
 */
@Tag("e2e")
@LocalStackTest
class DemoCommandTest {

    @Test
    void demoRunsTheBatchPathThroughEveryServiceAndTheEnginesAgree(TestStack stack) throws Exception {
        int exitCode = PlatformCommand.commandLine().execute("--home", stack.settings().home().toString(), "demo", "--events", "20000");

        assertThat(exitCode).isZero();
        StackTour tour = new StackTour(null, new InetSocketAddress(stack.host(), stack.cassandraPort()), stack.trinoJdbcUrl());
        assertThat(Long.parseLong(tour.trinoQuery("SELECT count(*) FROM lake.card_fraud.models").get(0))).isGreaterThanOrEqualTo(2);
        List<String> latest = tour.trinoQuery("SELECT view_version, entities FROM lake.card_fraud.publications WHERE state = 'published'"
                + " ORDER BY view_version DESC LIMIT 1");
        long servedEntities = Long.parseLong(tour.trinoQuery("SELECT count(DISTINCT entity) FROM serving.card_fraud.batch_view"
                + " WHERE view_version = " + latest.get(0).split("\\|")[0]).get(0));
        assertThat(latest.get(0)).endsWith("|" + servedEntities);
        PipelineSpec spec = PipelineSpecs.load(Path.of(System.getProperty("tessera.root", "../..")).resolve("examples/card_fraud/pipeline.yaml"));
        try (ServingStore store = ServingStore.open(ServingSettings.target(stack.settings()), "card_fraud", "card_fraud")) {
            assertThat(store.current().orElseThrow().version()).isEqualTo(Long.parseLong(latest.get(0).split("\\|")[0]));
            EntityReading card = store.reader(spec).read("2291163933867244", Instant.parse("2013-07-07T00:00:00Z").toEpochMilli()).orElseThrow();
            assertThat(card.inBatchView()).isTrue();
            assertThat(card.features()).containsKey("txn_count_7d");
        }

        // the demo's consistency check passed (the demo fails otherwise); a realtime row it merges, corrupted, must fail it
        String home = stack.settings().home().toString();
        Path specFile = Path.of(System.getProperty("tessera.root", "../..")).resolve("examples/card_fraud/pipeline.yaml");
        try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress(stack.host(), stack.cassandraPort()))
                .withLocalDatacenter("datacenter1").build();
             ServingStore store = ServingStore.open(ServingSettings.target(stack.settings()), "card_fraud", "card_fraud")) {
            List<Row> rows = session.execute("SELECT entity, generation, epoch, partials FROM card_fraud.realtime_view LIMIT 500").all();
            long later = Instant.parse("2013-07-20T00:00:00Z").toEpochMilli();
            // a card whose realtime rows the merged view reads (not all covered by the nightly view's cut)
            String corrupted = rows.stream().map(r -> r.getString("entity")).distinct()
                    .filter(entity -> store.reader(spec).read(entity, later).map(EntityReading::realtimeRows).orElse(0) > 0)
                    .findFirst().orElseThrow(() -> new AssertionError("no card has a realtime row the view does not cover"));
            Row other = rows.stream().filter(r -> !r.getString("entity").equals(corrupted)).findFirst().orElseThrow();
            assertThat(PlatformCommand.commandLine().execute("--home", home, "check", "consistency", "--spec", specFile.toString(),
                    "--key", corrupted, "--sample", "0")).as("the check of %s before the corruption", corrupted).isZero();
            // every realtime row of the card given another card's partials
            rows.stream().filter(r -> r.getString("entity").equals(corrupted)).forEach(r -> session.execute(SimpleStatement.newInstance(
                    "UPDATE card_fraud.realtime_view SET partials = ? WHERE entity = ? AND generation = ? AND epoch = ?",
                    other.getByteBuffer("partials"), corrupted, r.getLong("generation"), r.getLong("epoch"))));
            assertThat(PlatformCommand.commandLine().execute("--home", home, "check", "consistency", "--spec", specFile.toString(),
                    "--key", corrupted, "--sample", "0")).as("the check of %s with another card's partials", corrupted).isEqualTo(1);
        }
    }

    /** The demo leaves the query API up to explore; the next test classes share this home. */
    @AfterEach
    void stopTheApi(TestStack stack) {
        PlatformCommand.commandLine().execute("--home", stack.settings().home().toString(), "stack", "down", "api");
    }
}
