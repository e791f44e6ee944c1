package io.tessera.speed.score;

import io.tessera.featurestore.contract.Score;
import io.tessera.serving.store.RealtimeRow;

/**
 * What one event changes in its key's realtime view: the whole row of its (generation, epoch), and the
 * key's latest score if this event's is the newest.
 *
 * @param latest the score to show as the key's latest, or {@code null} to leave it
 * @param processedAt UTC epoch milliseconds
 */
public record RealtimeUpdate(RealtimeRow row, Score latest, long processedAt) {
}
