package io.tessera.speed.lake;

import io.tessera.featurestore.contract.EpochBuckets;
import io.tessera.featurestore.contract.SnapshotLineage;
import io.tessera.featurestore.lake.QuarantinedRecord;
import io.tessera.featurestore.lake.ScoreRecord;
import io.tessera.speed.score.AcceptedEvent;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;

/**
 * The speed layer's Iceberg sinks: each commits on every completed checkpoint (exactly once across
 * failures, docs/stack.md, "The cut between batch and speed"), stamps the run's generation on every
 * snapshot, and has a fixed uid so a restore finds its committer's state.
 */
public final class LakeSinks {

    private final PipelineLake lake;
    private final CatalogLoader catalog;
    private final Map<String, String> lineage;

    public LakeSinks(PipelineLake lake, CatalogLoader catalog, long generation, EpochBuckets buckets) {
        this.lake = lake;
        this.catalog = catalog;
        this.lineage = Map.copyOf(SnapshotLineage.sinkProperties(generation, buckets));
    }

    public void events(DataStream<AcceptedEvent> accepted) {
        Schema schema = lake.load(lake.events()).schema();
        LakeRows.Events rows = new LakeRows.Events(schema);
        append(accepted.map(rows::row).returns(type(schema)).uid("lake-events-rows").name("event rows"), lake.events(), "lake-events");
    }

    public void quarantine(DataStream<QuarantinedRecord> quarantined) {
        Schema schema = lake.load(lake.quarantine()).schema();
        append(quarantined.map(LakeRows::quarantine).returns(type(schema)).uid("lake-quarantine-rows").name("quarantine rows"),
                lake.quarantine(), "lake-quarantine");
    }

    public void scores(DataStream<ScoreRecord> scores) {
        Schema schema = lake.load(lake.scores()).schema();
        append(scores.map(LakeRows::score).returns(type(schema)).uid("lake-scores-rows").name("score rows"), lake.scores(), "lake-scores");
    }

    /*
     * Rows go to the writer of their own task, not by partition (the default for a partitioned table,
     * HASH): the tables are partitioned by time and a stream's rows are nearly all in the newest partition,
     * so hashing sent them all to one writer anyway, after computing each row's partition path as text and
     * a network shuffle (7% of the job's CPU under load: docs/stack.md, "Flink"). With
     * more than one task a partition gets a file per task and checkpoint; `platform lake maintain`
     * rewrites small files.
     */
    private void append(DataStream<RowData> rows, TableIdentifier table, String uid) {
        FlinkSink.forRowData(rows).tableLoader(TableLoader.fromCatalog(catalog, table)).uidPrefix(uid).setSnapshotProperties(lineage)
                .distributionMode(DistributionMode.NONE).append();
    }

    private static InternalTypeInfo<RowData> type(Schema schema) {
        return InternalTypeInfo.of(FlinkSchemaUtil.convert(schema));
    }
}
