package io.tessera.speed.score;

import io.tessera.featurestore.event.Event;

/**
 * An event the speed layer accepted (decoded, not late): what it appends to the master dataset.
 *
 * @param ingestedAt when it was processed, UTC epoch milliseconds
 */
public record AcceptedEvent(Event event, String rawRecord, String source, long ingestedAt) {
}
