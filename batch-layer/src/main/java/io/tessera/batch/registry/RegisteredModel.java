package io.tessera.batch.registry;

import java.sql.Timestamp;
import java.util.Map;

/**
 * One row of {@code lake.<pipeline>.models}: everything needed to use the model and to rebuild it.
 *
 * @param status {@code champion} (serving), {@code rejected} (failed the gate), {@code retired} (a former champion),
 *     {@code challenger} (scored beside the champion: {@code platform models challenger})
 * @param runKey what the model was trained from (spec hash, snapshot, cutoff): a re-run of the same
 *     retrain finds its model here instead of training another
 */
public record RegisteredModel(
        String name,
        long version,
        String status,
        String task,
        String algorithm,
        String params,
        Map<String, Double> metrics,
        long trainingSnapshotId,
        Timestamp cutoff,
        String artifactLocation,
        String checksum,
        String gateReason,
        String runKey,
        Timestamp createdAt) {

    public static final String CHAMPION = "champion";
    public static final String REJECTED = "rejected";
    public static final String RETIRED = "retired";
    public static final String CHALLENGER = "challenger";

    public boolean isChampion() {
        return CHAMPION.equals(status);
    }

    public boolean isChallenger() {
        return CHALLENGER.equals(status);
    }
}
