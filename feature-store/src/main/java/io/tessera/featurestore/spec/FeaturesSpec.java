package io.tessera.featurestore.spec;

import java.time.Duration;
import java.util.List;

/**
 * The features to compute.
 *
 * @param tile the size of the time buckets windowed aggregates are kept in; every window is a multiple
 */
public record FeaturesSpec(Duration tile, List<AggregationSpec> aggregations, List<EventFeatureSpec> event) {

    public FeaturesSpec {
        aggregations = List.copyOf(aggregations);
        event = List.copyOf(event);
    }
}
