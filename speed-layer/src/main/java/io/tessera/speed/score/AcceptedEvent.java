package io.tessera.speed.score;

import io.tessera.featurestore.event.Event;

/**
 * An event the speed layer accepted (decoded, not late): what it appends to the master dataset, with the
 * generation and epoch its realtime partials were tagged with (a batch view leaves out the events its
 * cut does not cover: {@code ServingCut#holds}).
 *
 * @param ingestedAt when it was processed, UTC epoch milliseconds
 */
public record AcceptedEvent(Event event, String rawRecord, String source, long ingestedAt, long generation, long epoch) {
}
