package io.tessera.batch.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.datastax.oss.driver.api.core.CqlSession;
import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.ingest.FileIngest;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.batch.publish.BatchViewPublisher;
import io.tessera.batch.publish.CassandraViews;
import io.tessera.batch.publish.ControlChannel;
import io.tessera.batch.spec.SpecText;
import io.tessera.featurestore.model.ModelFormat;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The batch path end to end on the real sample, against the real stack: ingest, retrain, registry,
 * report, batch view in the lake and in Cassandra, a control message; a re-run finds its model and its
 * publication instead of making new ones; analysts see it all through Trino.
 */
@Tag("e2e")
@LocalStackTest
class RetrainTest {

    /** The sample's unix_time runs 2013-06-21 to 2013-06-22; the cutoff is the next morning. */
    private static final Instant CUTOFF = Instant.parse("2013-06-23T06:00:00Z");
    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }


    @Test
    void retrainsPublishesAndResumes(TestStack stack) throws Exception {
        String pipeline = stack.namespace();
        SpecText spec = BatchTestData.cardFraudSpec(pipeline);
        new FileIngest(spark, spec).ingest(BatchTestData.exampleDir().resolve("transactions.csv"));

        RetrainOutcome first = retrain(stack, spec);

        assertThat(first.resumed()).isFalse();
        assertThat(first.candidate().version()).isEqualTo(1);
        assertThat(first.candidate().status()).isIn("champion", "rejected");
        assertThat(first.candidate().gateReason()).isNotBlank();
        Path artifact = Path.of(first.candidate().artifactLocation());
        assertThat(ModelFormat.read(artifact).features()).isEqualTo(first.publication().featureNames());
        assertThat(Files.readString(artifact.resolveSibling("report.html"))).contains("v1");
        assertThat(first.publication().entities()).isEqualTo(879);   // the sample's distinct cards
        assertThat(servedVersion(stack, pipeline, spec.spec().serving().view())).isEqualTo(first.publication().viewVersion());

        RetrainOutcome again = retrain(stack, spec);

        assertThat(again.resumed()).isTrue();
        assertThat(again.candidate().version()).isEqualTo(1);
        assertThat(again.publication().viewVersion()).isEqualTo(first.publication().viewVersion());
        assertThat(spark.table("lake." + pipeline + ".models").count()).isEqualTo(1);

        try (Connection trino = DriverManager.getConnection(stack.trinoJdbcUrl(), "tessera", null)) {
            assertThat(single(trino, "SELECT count(*) FROM lake." + pipeline + ".training_set")).isEqualTo("5116");
            assertThat(single(trino, "SELECT count(*) FROM lake." + pipeline + ".models WHERE version = 1")).isEqualTo("1");
            assertThat(single(trino, "SELECT count(DISTINCT entity) FROM lake." + pipeline + ".batch_view b JOIN lake." + pipeline
                    + ".publications p ON b.view_version = p.view_version")).isEqualTo("879");
        }
    }

    private static RetrainOutcome retrain(TestStack stack, SpecText spec) throws Exception {
        String pipeline = spec.spec().name();
        BatchViewPublisher publisher = new BatchViewPublisher(spark, new PipelineTables(spark, spec.spec()), spec.spec().serving().view(),
                new CassandraViews(stack.host() + ":" + stack.cassandraPort(), pipeline), new ControlChannel(stack.kafkaBootstrap(), pipeline));
        return new Retrain(spark, spec, publisher).run(Optional.empty(), CUTOFF.toEpochMilli());
    }

    private static long servedVersion(TestStack stack, String keyspace, String view) {
        try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress(stack.host(), stack.cassandraPort()))
                .withLocalDatacenter("datacenter1").build()) {
            return session.execute("SELECT view_version FROM " + keyspace + ".views WHERE name = ?", view).one().getLong(0);
        }
    }

    private static String single(Connection connection, String sql) throws Exception {
        try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
