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

        // the demo's consistency check passed (the demo fails otherwise); a realtime row counted twice must fail it
        String home = stack.settings().home().toString();
        Path specFile = Path.of(System.getProperty("tessera.root", "../..")).resolve("examples/card_fraud/pipeline.yaml");
        try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress(stack.host(), stack.cassandraPort()))
                .withLocalDatacenter("datacenter1").build()) {
            // a realtime row of one card holding the partials of another
            List<Row> rows = session.execute("SELECT entity, generation, epoch, partials FROM card_fraud.realtime_view LIMIT 200").all();
            assertThat(rows).as("the replayed stream left realtime rows").isNotEmpty();
            String corrupted = rows.get(0).getString("entity");
            Row other = rows.stream().filter(r -> !r.getString("entity").equals(corrupted)).findFirst().orElseThrow();
            // the newest generation and a later epoch than any: a row no cut covers (a reused home may hold older generations)
            long generation = rows.stream().mapToLong(r -> r.getLong("generation")).max().orElseThrow();
            long epoch = rows.stream().mapToLong(r -> r.getLong("epoch")).max().orElseThrow() + 1_000_000;
            assertThat(PlatformCommand.commandLine().execute("--home", home, "check", "consistency", "--spec", specFile.toString(),
                    "--key", corrupted, "--sample", "0")).as("the check of %s before the corruption", corrupted).isZero();
            session.execute(SimpleStatement.newInstance("INSERT INTO card_fraud.realtime_view (entity, generation, epoch, partials, written_at)"
                    + " VALUES (?, ?, ?, ?, toTimestamp(now()))", corrupted, generation, epoch,
                    other.getByteBuffer("partials")));
            assertThat(PlatformCommand.commandLine().execute("--home", home, "check", "consistency", "--spec", specFile.toString(),
                    "--key", corrupted, "--sample", "0")).as("the check of %s with another card's partials", corrupted).isEqualTo(1);
        }
    }
}
