package io.tessera.featurestore.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tessera.featurestore.aggregate.Op;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.spec.AggregationSpec;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.time.Window;
import java.util.List;

/** Shared check: an assembled vector against the oracle, column by column. */
public abstract class FeatureVectorTestBase {

    /** approx_distinct's documented error: 1.5% relative standard error; allow about 3 of them. */
    static final double DISTINCT_RELATIVE_ERROR = 0.05;

    public static void assertVectorMatchesOracle(PipelineSpec spec, FeatureLayout layout, double[] vector,
                                          List<Event> seen, long t, Event current) {
        VectorOracle oracle = new VectorOracle(spec);
        for (FeatureColumn column : layout.columns()) {
            double actual = vector[column.index()];
            String what = column.name() + " at " + t;
            if (column.source() instanceof FeatureColumn.Aggregate aggregate) {
                AggregationSpec aggregation = spec.features().aggregations().stream()
                        .filter(a -> a.name().equals(aggregate.aggregation())).findFirst().orElseThrow();
                Long window = aggregate.window() instanceof Window.Trailing trailing ? trailing.millis() : null;
                double expected = oracle.expected(aggregation, window, seen, t);
                if (aggregate.op() == Op.APPROX_DISTINCT) {
                    assertThat(actual).as(what).isCloseTo(expected, within(Math.max(0.01, expected * DISTINCT_RELATIVE_ERROR)));
                } else {
                    assertThat(Double.valueOf(actual)).as(what).isEqualTo(Double.valueOf(expected));
                }
            } else if (column.source() instanceof FeatureColumn.EventValue value) {
                assertThat(actual).as(what).isEqualTo(oracle.expectedRaw(value.field(), current));
            } else if (column.source() instanceof FeatureColumn.OneHot oneHot) {
                assertThat(actual).as(what).isEqualTo(oracle.expectedOneHot(oneHot.field(), oneHot.category(), current));
            } else {
                FeatureColumn.OtherCategory other = (FeatureColumn.OtherCategory) column.source();
                assertThat(actual).as(what).isEqualTo(oracle.expectedOther(other.field(), other.known(), current));
            }
        }
    }
}
