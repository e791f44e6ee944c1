package io.tessera.jobs.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Pacing on a simulated clock: sleeping advances it; a test can also let time pass as a slow send would. */
class PacerTest {

    private static final long MS = 1_000_000;

    private long now = 5 * MS;
    private final List<Long> sleeps = new ArrayList<>();

    private Pacer pacer(double rate) {
        return new Pacer(rate, () -> now, nanos -> {
            sleeps.add(nanos);
            now += nanos;
        });
    }

    @Test
    void sendIIsDueAtStartPlusIOverTheRate() throws InterruptedException {
        Pacer pacer = pacer(1000);
        pacer.start();

        for (int i = 0; i < 5; i++) {
            pacer.awaitSend(i);
            assertThat(now).isEqualTo(5 * MS + i * MS);
        }
        assertThat(sleeps).containsExactly(MS, MS, MS, MS);
    }

    @Test
    void aLateSendIsCaughtUpSoTheRateOverTheRunIsKept() throws InterruptedException {
        Pacer pacer = pacer(100);
        pacer.start();
        pacer.awaitSend(0);
        now += 35 * MS; // send 0 took 35 ms: sends 1 to 3 are overdue

        for (int i = 1; i <= 3; i++) {
            pacer.awaitSend(i);
        }
        assertThat(sleeps).as("no wait while behind").isEmpty();
        pacer.awaitSend(4);
        assertThat(now).as("back on the schedule, not shifted by the late send").isEqualTo(5 * MS + 40 * MS);
        assertThat(sleeps).containsExactly(5 * MS);
    }

    @Test
    void anEarlyWakeUpWaitsOnlyForTheRestNeverSpinning() throws InterruptedException {
        Pacer pacer = new Pacer(10, () -> now, nanos -> {
            sleeps.add(nanos);
            now += Math.max(1, nanos / 2);
        });
        pacer.start();

        pacer.awaitSend(1);

        assertThat(now).isGreaterThanOrEqualTo(5 * MS + 100 * MS);
        assertThat(sleeps).hasSizeLessThan(64).allSatisfy(nanos -> assertThat(nanos).isPositive());
    }

    @Test
    void fractionalRatesAndLongRunsStayOnSchedule() {
        Pacer pacer = pacer(0.5);
        pacer.start();
        assertThat(pacer.due(3) - 5 * MS).isEqualTo(6_000 * MS);
        Pacer fast = pacer(250_000);
        fast.start();
        assertThat(fast.due(1_000_000_000L) - 5 * MS).as("a billion sends at 250k/s: 4,000 s").isEqualTo(4_000_000 * MS);
    }

    @Test
    void aboveAThousandASecondTheSendsOfAMillisecondGoTogether() throws InterruptedException {
        Pacer pacer = pacer(5000);
        pacer.start();

        for (int i = 0; i < 50; i++) {
            long exact = 5 * MS + i * MS / 5;
            pacer.awaitSend(i);
            assertThat(now).as("send %d: never early, at most a millisecond late", i).isBetween(exact, exact + MS);
        }
        assertThat(sleeps).as("one wake-up per millisecond, not one per send").hasSize(10).containsOnly(MS);
    }

    @Test
    void unpacedNeverWaits() throws InterruptedException {
        Pacer pacer = pacer(0);
        pacer.start();
        for (int i = 0; i < 1000; i++) {
            pacer.awaitSend(i);
        }
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aNegativeOrNonFiniteRateIsRefused() {
        assertThatThrownBy(() -> pacer(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pacer(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pacer(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}
