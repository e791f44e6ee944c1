package io.tessera.featurestore.spec;

import java.time.Duration;
import java.util.List;

/**
 * The features to compute.
 *
 * @param tile the size of the time buckets windowed aggregates are kept in; every window is a multiple
 * @param pointInTime which past events a training row's features see ({@code event_time} unless set)
 */
public record FeaturesSpec(Duration tile, PointInTime pointInTime, List<AggregationSpec> aggregations, List<EventFeatureSpec> event) {

    public FeaturesSpec {
        aggregations = List.copyOf(aggregations);
        event = List.copyOf(event);
    }
}
