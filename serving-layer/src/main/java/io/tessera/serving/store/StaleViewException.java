package io.tessera.serving.store;

import io.tessera.featurestore.contract.PublishedView;

/**
 * A view that must not replace the one serving: it read an older snapshot (or an older cutoff of the
 * same one). Publication is forward-only; going back is an explicit rollback.
 */
public class StaleViewException extends IllegalStateException {

    private final transient PublishedView serving;

    public StaleViewException(PublishedView candidate, PublishedView serving) {
        super("view v" + candidate.viewVersion() + " (" + candidate.snapshot() + ", cutoff " + java.time.Instant.ofEpochMilli(candidate.cutoff())
                + ") is not newer than the serving view v" + serving.viewVersion() + " (" + serving.snapshot() + ", cutoff "
                + java.time.Instant.ofEpochMilli(serving.cutoff()) + "): it stays in the lake's history and is not served");
        this.serving = serving;
    }

    public PublishedView serving() {
        return serving;
    }
}
