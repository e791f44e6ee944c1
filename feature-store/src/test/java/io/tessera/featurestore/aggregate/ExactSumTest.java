package io.tessera.featurestore.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ExactSumTest {

    @Provide
    Arbitrary<List<Double>> values() {
        Arbitrary<Double> tricky = Arbitraries.of(0.1, 0.2, 0.3, 1e16, -1e16, 1.0, -1.0, 1e-16, 3.0e300, -3.0e300,
                Double.MIN_VALUE, -0.0, 0.0, 2.0 / 3.0);
        Arbitrary<Double> any = Arbitraries.doubles().between(-1e12, 1e12);
        Arbitrary<Double> wide = Arbitraries.doubles().between(-1e200, 1e200);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, tricky), net.jqwik.api.Tuple.of(4, any), net.jqwik.api.Tuple.of(1, wide))
                .list().ofMaxSize(40);
    }

    @Property(tries = 500)
    void isTheExactSumRoundedOnceToNearestEven(@ForAll("values") List<Double> values) {
        ExactSum sum = new ExactSum();
        values.forEach(sum::add);

        assertThat(sum.value()).isEqualTo(exact(values).doubleValue());
    }

    @Property(tries = 300)
    void doesNotDependOnOrderOrGrouping(@ForAll("values") List<Double> values, @ForAll long seed) {
        List<Double> shuffled = new ArrayList<>(values);
        Collections.shuffle(shuffled, new Random(seed));
        int cut = shuffled.isEmpty() ? 0 : new Random(seed).nextInt(shuffled.size() + 1);
        ExactSum left = new ExactSum();
        ExactSum right = new ExactSum();
        shuffled.subList(0, cut).forEach(left::add);
        shuffled.subList(cut, shuffled.size()).forEach(right::add);
        right.addAll(left);
        ExactSum inOrder = new ExactSum();
        values.forEach(inOrder::add);

        assertThat(right.value()).isEqualTo(inOrder.value());
        assertThat(right.canonical()).containsExactly(inOrder.canonical());
        assertThat(right).isEqualTo(inOrder);
    }

    @Property(tries = 300)
    void canonicalFormHoldsTheExactValue(@ForAll("values") @Size(max = 20) List<Double> values) {
        ExactSum sum = new ExactSum();
        values.forEach(sum::add);
        double[] canonical = sum.canonical();

        BigDecimal total = BigDecimal.ZERO;
        for (double c : canonical) {
            total = total.add(new BigDecimal(c));
        }
        assertThat(total.compareTo(exact(values))).isZero();
        for (int i = 1; i < canonical.length; i++) {
            assertThat(Math.abs(canonical[i])).isLessThanOrEqualTo(Math.ulp(canonical[i - 1]) / 2);
        }
        assertThat(ExactSum.ofCanonical(canonical)).isEqualTo(sum);
    }

    @Test
    void keepsWhatNaiveAdditionLoses() {
        ExactSum sum = new ExactSum();
        sum.add(1e16);
        sum.add(1.0);
        sum.add(-1e16);

        assertThat(1e16 + 1.0 - 1e16).isZero();
        assertThat(sum.value()).isEqualTo(1.0);
    }

    @Test
    void rejectsValuesThatAreNotFinite() {
        ExactSum sum = new ExactSum();

        assertThatThrownBy(() -> sum.add(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sum takes finite values, got NaN");
        assertThatThrownBy(() -> sum.add(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    private static BigDecimal exact(List<Double> values) {
        BigDecimal total = BigDecimal.ZERO;
        for (double v : values) {
            total = total.add(new BigDecimal(v));
        }
        return total;
    }
}
