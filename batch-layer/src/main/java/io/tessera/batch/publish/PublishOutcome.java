package io.tessera.batch.publish;

import java.util.List;
import java.util.Optional;

import io.tessera.featurestore.contract.PublishedView;

/**
 * What publishing a batch view did.
 *
 * @param status whether readers now use it
 * @param retired the versions retention retired from serving with this publication
 * @param reason for a superseded view, why it is not served
 */
public record PublishOutcome(PublishedView view, Status status, List<Long> retired, Optional<String> reason) {

    public enum Status {
        /** Readers use this view now; the control message went out. */
        SWITCHED,
        /** It was serving already: a resumed run completed it (the control message went out again). */
        ALREADY_SERVING,
        /** A newer view serves: this one stays in the lake's history only, and no message went out. */
        SUPERSEDED
    }

    public PublishOutcome {
        retired = List.copyOf(retired);
    }

    public boolean serving() {
        return status != Status.SUPERSEDED;
    }
}
