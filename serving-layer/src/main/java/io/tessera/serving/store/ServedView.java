package io.tessera.serving.store;

import io.tessera.featurestore.contract.PublishedView;
import java.util.Objects;

/** A published view as serving stores it: the publication, and how its rows are bucketed. */
public record ServedView(PublishedView view, int buckets) {

    public ServedView {
        Objects.requireNonNull(view, "view");
        if (buckets < 1) {
            throw new IllegalArgumentException("a view has at least one bucket, got " + buckets);
        }
    }

    public long version() {
        return view.viewVersion();
    }
}
