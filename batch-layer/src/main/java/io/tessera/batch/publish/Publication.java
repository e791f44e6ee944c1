package io.tessera.batch.publish;

import java.util.List;
import java.util.Optional;

/**
 * One published batch view: which lake snapshot it holds, the cut for the speed layer, the champion it
 * scored with. The same facts go to {@code lake.<pipeline>.publications}, to Cassandra's {@code views}
 * row and to the control message.
 */
public record Publication(
        String pipeline,
        long viewVersion,
        long snapshotId,
        long snapshotCommittedAt,
        Optional<Long> flinkCheckpoint,
        long cutoff,
        Optional<Long> modelVersion,
        Optional<String> modelArtifact,
        Optional<String> modelChecksum,
        List<String> featureNames,
        long entities,
        long publishedAt) {
}
