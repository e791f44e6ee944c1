package io.tessera.featurestore.aggregate;

import static io.tessera.featurestore.aggregate.Events.partialOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.aggregate.Events.Ev;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The monoid laws every op must obey, so that tiles merged in any grouping and order give one answer,
 * and the encoding of a partial depends on nothing but its events.
 */
class PartialLawsTest {

    @Provide
    Arbitrary<List<Ev>> stream() {
        return Events.streams(100, 30);
    }

    @Property(tries = 200)
    void mergeIsAssociative(@ForAll Op op, @ForAll("stream") List<Ev> a, @ForAll("stream") List<Ev> b,
                            @ForAll("stream") List<Ev> c) {
        Partial pa = partialOf(op, a);
        Partial pb = partialOf(op, b);
        Partial pc = partialOf(op, c);

        Partial left = Partial.merge(Partial.merge(pa, pb), pc);
        Partial right = Partial.merge(pa, Partial.merge(pb, pc));

        assertThat(left).isEqualTo(right);
        assertThat(PartialCodec.encode(left)).containsExactly(PartialCodec.encode(right));
    }

    @Property(tries = 200)
    void mergeIsCommutative(@ForAll Op op, @ForAll("stream") List<Ev> a, @ForAll("stream") List<Ev> b) {
        Partial pa = partialOf(op, a);
        Partial pb = partialOf(op, b);

        assertThat(Partial.merge(pa, pb)).isEqualTo(Partial.merge(pb, pa));
        assertThat(PartialCodec.encode(Partial.merge(pa, pb))).containsExactly(PartialCodec.encode(Partial.merge(pb, pa)));
    }

    @Property(tries = 100)
    void theEmptyPartialIsTheIdentity(@ForAll Op op, @ForAll("stream") List<Ev> a) {
        Partial pa = partialOf(op, a);

        assertThat(Partial.merge(pa, op.newPartial())).isEqualTo(pa);
        assertThat(Partial.merge(op.newPartial(), pa)).isEqualTo(pa);
    }

    @Property(tries = 200)
    void mergingIsAddingTheEventsDirectly(@ForAll Op op, @ForAll("stream") List<Ev> a, @ForAll("stream") List<Ev> b) {
        List<Ev> all = new ArrayList<>(a);
        all.addAll(b);

        Partial merged = Partial.merge(partialOf(op, a), partialOf(op, b));
        Partial direct = partialOf(op, all);

        assertThat(merged).isEqualTo(direct);
        assertThat(Double.valueOf(merged.finish())).isEqualTo(Double.valueOf(direct.finish()));
    }

    @Property(tries = 200)
    void encodingIsIdenticalWhateverTheOrderAndGrouping(@ForAll Op op, @ForAll("stream") List<Ev> events, @ForAll long seed) {
        List<Ev> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(seed));
        int cut = new Random(seed).nextInt(shuffled.size() + 1);
        Partial regrouped = Partial.merge(partialOf(op, shuffled.subList(cut, shuffled.size())),
                partialOf(op, shuffled.subList(0, cut)));

        assertThat(PartialCodec.encode(regrouped)).containsExactly(PartialCodec.encode(partialOf(op, events)));
    }

    @Property(tries = 200)
    void encodingRoundTrips(@ForAll Op op, @ForAll("stream") List<Ev> events) {
        Partial partial = partialOf(op, events);
        byte[] bytes = PartialCodec.encode(partial);

        Partial decoded = PartialCodec.decode(bytes, op);

        assertThat(decoded).isEqualTo(partial);
        assertThat(Double.valueOf(decoded.finish())).isEqualTo(Double.valueOf(partial.finish()));
        assertThat(decoded.isEmpty()).isEqualTo(partial.isEmpty());
        assertThat(PartialCodec.encode(decoded)).containsExactly(bytes);
    }

    @Property(tries = 50)
    void copiesAreIndependent(@ForAll Op op, @ForAll("stream") List<Ev> a, @ForAll("stream") List<Ev> b) {
        Partial original = partialOf(op, a);
        byte[] before = PartialCodec.encode(original);
        Partial copy = original.copy();
        b.forEach(e -> Events.feed(copy, e));
        copy.mergeFrom(partialOf(op, b));

        assertThat(PartialCodec.encode(original)).containsExactly(before);
    }

    @Property(tries = 100)
    void mergingLeavesTheOtherPartialUnchangedWhateverComesAfter(@ForAll Op op, @ForAll("stream") List<Ev> a,
            @ForAll("stream") List<Ev> b, @ForAll("stream") List<Ev> c) {
        Partial other = partialOf(op, b);
        byte[] before = PartialCodec.encode(other);
        // merged into an empty partial, into one with events, then more merges and events after it
        for (Partial target : List.of(op.newPartial(), partialOf(op, a))) {
            target.mergeFrom(other);
            target.mergeFrom(partialOf(op, c));
            c.forEach(e -> Events.feed(target, e));
            target.finish();
        }

        assertThat(PartialCodec.encode(other)).containsExactly(before);
    }

    @Test
    void partialsOfDifferentOpsDoNotMerge() {
        Partial sum = Op.SUM.newPartial();

        assertThatThrownBy(() -> sum.mergeFrom(Op.MEAN.newPartial()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot merge a mean partial into a sum partial");
    }

    @Test
    void lastBreaksTiesOnEventTimeByTheGreatestValue() {
        LastPartial inOneOrder = new LastPartial();
        inOneOrder.add(5.0, 100);
        inOneOrder.add(7.0, 100);
        inOneOrder.add(1.0, 99);
        LastPartial inAnother = new LastPartial();
        inAnother.add(7.0, 100);
        inAnother.add(5.0, 100);

        assertThat(inOneOrder.finish()).isEqualTo(7.0);
        assertThat(inAnother.finish()).isEqualTo(7.0);
        assertThat(inOneOrder).isEqualTo(inAnother);
    }

    @Test
    void valuesOverNoEventsAreDefinedPerOp() {
        assertThat(Op.COUNT.newPartial().finish()).isZero();
        assertThat(Op.SUM.newPartial().finish()).isZero();
        assertThat(Op.APPROX_DISTINCT.newPartial().finish()).isZero();
        assertThat(Op.MEAN.newPartial().finish()).isNaN();
        assertThat(Op.MIN.newPartial().finish()).isNaN();
        assertThat(Op.MAX.newPartial().finish()).isNaN();
        assertThat(Op.LAST.newPartial().finish()).isNaN();
    }

    @Test
    void aDistinctPartialOfAFewValuesWithoutASketchYetReadsMergesAndEncodesAsOneWithIt() {
        DistinctPartial onlyEmptyText = new DistinctPartial();
        onlyEmptyText.add("", 1L);
        assertThat(onlyEmptyText.isEmpty()).as("the sketch ignores \"\"").isTrue();
        assertThat(PartialCodec.encode(onlyEmptyText)).isEqualTo(PartialCodec.encode(new DistinctPartial()));

        DistinctPartial deferred = new DistinctPartial();
        DistinctPartial sketched = new DistinctPartial();
        for (Object value : List.of("m1", 42L, 2.5, "", "m1")) {
            for (DistinctPartial p : List.of(deferred, sketched)) {
                if (value instanceof String text) {
                    p.add(text, 1L);
                } else if (value instanceof Long number) {
                    p.add(number.longValue(), 1L);
                } else {
                    p.add((Double) value, 1L);
                }
            }
            sketched.finish();   // makes its sketch now; the other waits for a read of its own
        }
        assertThat(deferred.isEmpty()).isFalse();
        DistinctPartial big = new DistinctPartial();
        for (long i = 0; i < 1_000; i++) {
            big.add(i, 1L);
        }
        DistinctPartial intoDeferred = deferred.copy();
        intoDeferred.mergeFrom(big);
        DistinctPartial intoSketched = sketched.copy();
        intoSketched.mergeFrom(big);
        DistinctPartial bigWithDeferred = big.copy();
        bigWithDeferred.mergeFrom(deferred);
        assertThat(PartialCodec.encode(intoDeferred)).isEqualTo(PartialCodec.encode(intoSketched)).isEqualTo(PartialCodec.encode(bigWithDeferred));
        assertThat(PartialCodec.encode(deferred)).isEqualTo(PartialCodec.encode(sketched));
        assertThat(deferred.finish()).isEqualTo(sketched.finish()).isCloseTo(3.0, org.assertj.core.api.Assertions.within(0.01));
    }
}
