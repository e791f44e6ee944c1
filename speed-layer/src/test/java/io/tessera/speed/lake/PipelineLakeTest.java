package io.tessera.speed.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import io.tessera.speed.Examples;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * The tables the speed layer commits to at every checkpoint keep a bounded number of metadata files,
 * whoever created them, and carry a snapshot retention of their own unless an operator set one.
 */
@LocalStackTest(ServiceName.ICEBERG_CATALOG)
class PipelineLakeTest {

    @Test
    void tablesCommittedEveryCheckpointKeepOnlyTheirLatestMetadataFilesAndAShortRetention(TestStack stack) throws Exception {
        String name = stack.namespace();
        // the example, renamed to this test's namespace
        PipelineSpec spec = PipelineSpecs.parse(Files.readString(Examples.cardFraudSpec()).replaceFirst("(?m)^pipeline: card_fraud$",
                "pipeline: " + name), "card_fraud as " + name);
        Catalog catalog = LakeCatalogs.rest(stack.icebergCatalogUri()).loadCatalog();
        PipelineLake lake = new PipelineLake(catalog, spec);
        // quarantine as the batch layer creates it when an ingest comes first: without the speed layer's properties
        ((SupportsNamespaces) catalog).createNamespace(Namespace.of(name));
        catalog.createTable(lake.quarantine(), new Schema(List.of(Types.NestedField.optional(1, "raw_record", Types.StringType.get()))),
                PartitionSpec.unpartitioned(), Map.of("format-version", "2", TableProperties.MAX_SNAPSHOT_AGE_MS, "86400000"));

        lake.ensure();

        for (TableIdentifier id : List.of(lake.events(), lake.quarantine(), lake.scores())) {
            assertThat(catalog.loadTable(id).properties()).as(id.toString()).containsAllEntriesOf(PipelineLake.COMMITTED_EVERY_CHECKPOINT);
        }
        assertThat(catalog.loadTable(lake.events()).properties()).containsEntry(TableProperties.MAX_SNAPSHOT_AGE_MS, "3600000");
        assertThat(catalog.loadTable(lake.quarantine()).properties()).as("an operator's retention stays")
                .containsEntry(TableProperties.MAX_SNAPSHOT_AGE_MS, "86400000");
        Table scores = catalog.loadTable(lake.scores());
        for (int commit = 0; commit < 110; commit++) {
            scores.newAppend().commit();   // a checkpoint's commit, without its files
        }
        Path metadata = Path.of(URI.create(catalog.loadTable(lake.scores()).location() + "/metadata"));
        try (Stream<Path> files = Files.list(metadata)) {
            assertThat(files.filter(file -> file.toString().endsWith(".metadata.json")).count()).isEqualTo(101);
        }
        assertThat(catalog.loadTable(lake.scores()).history()).hasSizeGreaterThanOrEqualTo(110);
    }
}
