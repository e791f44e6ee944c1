package io.tessera.speed.score;

import io.tessera.featurestore.contract.Score;
import io.tessera.serving.store.MergedBucket;
import io.tessera.serving.store.RealtimeRow;
import java.util.List;

/**
 * What one event changes in its key's realtime view: the whole row of its (generation, epoch), the key's
 * latest score if this event's is the newest, and the buckets of the key's rows merged at this event.
 *
 * @param latest the score to show as the key's latest, or {@code null} to leave it
 * @param processedAt UTC epoch milliseconds
 * @param merged buckets whose rows the key's state merged at this event (almost always none)
 */
public record RealtimeUpdate(RealtimeRow row, Score latest, long processedAt, List<MergedBucket> merged) {
}
