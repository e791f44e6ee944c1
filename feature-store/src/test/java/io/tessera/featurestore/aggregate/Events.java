package io.tessera.featurestore.aggregate;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Test fixture: small events for the algebra, and the one way tests feed them to any partial. Times and
 * values are drawn from small ranges on purpose, so that equal timestamps, equal values and tile edges
 * are common.
 */
public final class Events {

    /** An event as the algebra sees it: a time, a number (for numeric ops) and a word (for distinct). */
    public record Ev(long time, double number, String word) {
    }

    private Events() {
    }

    public static Arbitrary<Double> numbers() {
        Arbitrary<Double> tricky = Arbitraries.of(0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 2.5, 1e16, -1e16, 1e-9);
        Arbitrary<Double> any = Arbitraries.doubles().between(-1e6, 1e6).ofScale(3);
        return Arbitraries.frequencyOf(Tuple.of(1, tricky), Tuple.of(2, any));
    }

    public static Arbitrary<String> words() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("grocery", "gas", "travel", "food", "misc")),
                Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)));
    }

    /** Events with times in {@code [0, maxTime]}. */
    public static Arbitrary<Ev> events(long maxTime) {
        return Combinators.combine(Arbitraries.longs().between(0, maxTime), numbers(), words()).as(Ev::new);
    }

    public static Arbitrary<List<Ev>> streams(long maxTime, int maxSize) {
        return events(maxTime).list().ofMaxSize(maxSize);
    }

    /** Folds one event into a partial of any op, through its input capability. */
    public static void feed(Partial partial, Ev e) {
        if (partial instanceof Partial.CountsEvents counter) {
            counter.add(e.time());
        } else if (partial instanceof Partial.TakesNumbers numbers) {
            numbers.add(e.number(), e.time());
        } else if (partial instanceof Partial.TakesValues values) {
            values.add(e.word(), e.time());
        } else {
            throw new IllegalArgumentException("no input capability: " + partial.op());
        }
    }

    public static Partial partialOf(Op op, List<Ev> events) {
        Partial partial = op.newPartial();
        events.forEach(e -> feed(partial, e));
        return partial;
    }
}
