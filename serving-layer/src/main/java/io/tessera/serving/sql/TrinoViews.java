package io.tessera.serving.sql;

import java.util.List;

import io.tessera.featurestore.spec.PipelineSpec;

/**
 * The SQL views analysts query through Trino, defined once here beside the serving tables they read
 * (created in the {@code lake} catalog, whose Iceberg REST catalog keeps views, over the {@code serving}
 * catalog's Cassandra tables). {@code platform serving migrate} creates them. Times are
 * {@code timestamp(6) with time zone}: Iceberg keeps no other precision in a view's columns.
 *
 * <p>{@code lake.<pipeline>.current}: one row per key with its latest score and the same provenance as
 * the query API (model, role, layer, event time, view version, snapshot, cutoff), and the features of the
 * key's newest event in the serving batch view. What SQL cannot give: windows read at any other time
 * (now, or {@code ?at}) and the realtime partials' features; those need the merge of partials the API
 * does ({@code GET /v1/pipelines/<p>/entities/<key>}).
 */
public final class TrinoViews {

    private TrinoViews() {
    }

    /** The statements, in order, that create or replace the pipeline's views. */
    public static List<String> statements(PipelineSpec spec) {
        String p = spec.name();
        String serving = "serving." + p;
        String current = """
                CREATE OR REPLACE VIEW lake.%1$s.current
                COMMENT 'Latest score per key with its provenance, and the features of its newest batch event (Tessera)' AS
                WITH v AS (
                  SELECT view_version, snapshot_id, cutoff, champion_version FROM %2$s.views WHERE name = '%3$s'
                ), b AS (
                  SELECT r.entity, r.score, r.newest_event_time, r.newest_event_vector, r.events,
                         v.view_version, v.snapshot_id, v.cutoff, v.champion_version
                  FROM %2$s.batch_view r JOIN v ON r.view_version = v.view_version
                ), s AS (
                  SELECT entity, arbitrary(score) AS score, arbitrary(score_model) AS model, arbitrary(score_model_version) AS model_version,
                         arbitrary(score_role) AS role, arbitrary(score_view_version) AS view_version,
                         arbitrary(score_snapshot_id) AS snapshot_id, arbitrary(score_event_time) AS event_time
                  FROM %2$s.realtime_view GROUP BY entity
                )
                SELECT coalesce(b.entity, s.entity) AS entity,
                       CASE WHEN realtime THEN s.score ELSE b.score END AS score,
                       CASE WHEN realtime THEN s.model WHEN b.score IS NOT NULL THEN '%1$s' END AS model,
                       CASE WHEN realtime THEN s.model_version WHEN b.score IS NOT NULL THEN b.champion_version END AS model_version,
                       CASE WHEN realtime THEN s.role WHEN b.score IS NOT NULL THEN 'champion' END AS role,
                       CASE WHEN realtime THEN 'realtime' WHEN b.score IS NOT NULL THEN 'batch' END AS layer,
                       CAST(CASE WHEN realtime THEN s.event_time ELSE b.newest_event_time END AS timestamp(6) with time zone) AS event_time,
                       CASE WHEN realtime THEN s.view_version ELSE b.view_version END AS view_version,
                       CASE WHEN realtime THEN s.snapshot_id ELSE b.snapshot_id END AS snapshot_id,
                       CAST(b.cutoff AS timestamp(6) with time zone) AS cutoff,
                       b.events AS batch_events,
                       CAST(b.newest_event_time AS timestamp(6) with time zone) AS batch_newest_event_time,
                       b.newest_event_vector AS batch_newest_event_features
                FROM b FULL OUTER JOIN s ON b.entity = s.entity
                CROSS JOIN UNNEST(ARRAY[s.score IS NOT NULL AND (b.newest_event_time IS NULL OR s.event_time >= b.newest_event_time)]) AS t(realtime)
                """.formatted(p, serving, spec.serving().view());
        return List.of("CREATE SCHEMA IF NOT EXISTS lake." + p, current.strip());
    }
}
