package io.tessera.featurestore.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cut's comparison, case by case; {@code ViewMergeLawTest} checks it on random lives of the speed layer. */
class ServingCutTest {

    @Test
    void withinTheCutsGenerationEpochsUpToTheCheckpointAreCovered() {
        ServingCut cut = new ServingCut(2, 7);

        assertThat(cut.covers(2, 6)).isTrue();
        assertThat(cut.covers(2, 7)).isTrue();
        assertThat(cut.covers(2, 8)).isFalse();
    }

    @Test
    void generationsAreComparedBeforeEpochs() {
        ServingCut cut = new ServingCut(2, 7);

        assertThat(cut.covers(1, 1_000_000)).as("an older generation's partials are in S or superseded").isTrue();
        assertThat(cut.covers(3, 1)).as("a restart without state starts its ids at 1 again: not covered").isFalse();
    }

    @Test
    void aCompleteGenerationIsCoveredWholeAndItsMaxValueMeansNothingToTheNext() {
        ServingCut cut = new ServingCut(1, ServingCut.COMPLETE);

        assertThat(cut.complete()).isTrue();
        assertThat(cut.covers(1, Long.MAX_VALUE - 1)).isTrue();
        assertThat(cut.covers(2, 1)).isFalse();
        assertThat(cut.covers(2, Long.MAX_VALUE - 1)).isFalse();
    }

    @Test
    void noSpeedLayerCommitCoversNothing() {
        assertThat(ServingCut.NONE.covers(1, 1)).isFalse();
        assertThatThrownBy(() -> new ServingCut(0, 3)).hasMessageContaining("generation 0 means no speed-layer commit");
    }

    @Test
    void theLineageIsReadFromASnapshotSummaryOrRefusedWhenHalfOfItIsThere() {
        assertThat(SnapshotLineage.fromSummary(1, Map.of("added-records", "10"))).isEmpty();
        assertThat(SnapshotLineage.fromSummary(1, Map.of(SnapshotLineage.GENERATION, "3", SnapshotLineage.CHECKPOINT,
                Long.toString(Long.MAX_VALUE)))).hasValueSatisfying(l -> assertThat(l.cut()).isEqualTo(new ServingCut(3, ServingCut.COMPLETE)));
        assertThat(SnapshotLineage.fromSummary(1, SnapshotLineage.generationMarker(4, EpochBuckets.SINGLE))).hasValue(new SnapshotLineage(4, 0, EpochBuckets.SINGLE));

        assertThatThrownBy(() -> SnapshotLineage.fromSummary(42, Map.of(SnapshotLineage.CHECKPOINT, "5")))
                .hasMessageContaining("lake snapshot 42 has " + SnapshotLineage.CHECKPOINT + " but no " + SnapshotLineage.GENERATION);
        assertThatThrownBy(() -> SnapshotLineage.fromSummary(42, Map.of(SnapshotLineage.CHECKPOINT, "x", SnapshotLineage.GENERATION, "1")))
                .hasMessageContaining("unreadable lineage");
    }

    @Test
    void aCutRoundsDownToTheEndOfABucketSoNoMergedRowStraddlesIt() {
        EpochBuckets three = new EpochBuckets(3);

        assertThat(three.end(1)).isEqualTo(3);
        assertThat(three.end(3)).isEqualTo(3);
        assertThat(three.end(4)).isEqualTo(6);
        assertThat(three.cutAt(0)).isZero();
        assertThat(three.cutAt(5)).isEqualTo(3);
        assertThat(three.cutAt(6)).isEqualTo(6);
        assertThat(three.cutAt(ServingCut.COMPLETE)).as("a complete generation stays complete").isEqualTo(ServingCut.COMPLETE);
        assertThat(EpochBuckets.SINGLE.cutAt(5)).isEqualTo(5);
        assertThatThrownBy(() -> new EpochBuckets(0)).hasMessageContaining("at least one epoch");

        Map<String, String> summary = new java.util.HashMap<>(SnapshotLineage.sinkProperties(2, three));
        summary.put(SnapshotLineage.CHECKPOINT, "8");
        SnapshotLineage lineage = SnapshotLineage.fromSummary(7, summary).orElseThrow();
        assertThat(lineage.buckets()).isEqualTo(three);
        assertThat(lineage.cut()).isEqualTo(new ServingCut(2, 6));
        assertThat(SnapshotLineage.fromSummary(7, Map.of(SnapshotLineage.GENERATION, "2", SnapshotLineage.CHECKPOINT, "8")).orElseThrow().cut())
                .as("a generation begun before buckets: every epoch its own").isEqualTo(new ServingCut(2, 8));
        assertThatThrownBy(() -> SnapshotLineage.fromSummary(7, Map.of(SnapshotLineage.GENERATION, "2", SnapshotLineage.CHECKPOINT, "8",
                SnapshotLineage.BUCKET_EPOCHS, "0"))).hasMessageContaining("unreadable lineage");
    }

    @Test
    void aViewHoldsFileEventsAndTheSpeedEventsItsCutCovers() {
        ServingCut cut = new ServingCut(2, 6);

        assertThat(cut.holds(null, null)).as("a file ingest's event").isTrue();
        assertThat(cut.holds(2L, 6L)).isTrue();
        assertThat(cut.holds(2L, 7L)).as("above the rounded cut: in the realtime rows").isFalse();
        assertThat(cut.holds(1L, 99L)).isTrue();
    }
}
