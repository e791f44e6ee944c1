package io.tessera.featurestore.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The default cutoff of a retrain: deterministic within a schedule period, so a re-run is the same run. */
class ScheduleSpecTest {

    private static final ScheduleSpec NIGHTLY = new ScheduleSpec(Optional.of("0 2 * * *"), Optional.of(ScheduleSpec.DEFAULT_MAINTAIN), Optional.empty());
    private static final ScheduleSpec NONE = new ScheduleSpec(Optional.empty(), Optional.empty(), Optional.empty());

    @Test
    void withAScheduleTheCutoffIsItsNewestTickAtOrBeforeNow() {
        Instant tick = Instant.parse("2024-03-10T02:00:00Z");

        assertThat(NIGHTLY.defaultCutoff(Instant.parse("2024-03-10T02:00:00Z"))).isEqualTo(tick);
        assertThat(NIGHTLY.defaultCutoff(Instant.parse("2024-03-10T02:00:00.999Z"))).isEqualTo(tick);
        assertThat(NIGHTLY.defaultCutoff(Instant.parse("2024-03-10T17:45:12.345Z"))).isEqualTo(tick);
        assertThat(NIGHTLY.defaultCutoff(Instant.parse("2024-03-11T01:59:59.999Z"))).isEqualTo(tick);
        assertThat(NIGHTLY.defaultCutoff(Instant.parse("2024-03-10T01:59:59.999Z"))).isEqualTo(Instant.parse("2024-03-09T02:00:00Z"));
    }

    @Test
    void withoutAScheduleTheCutoffIsTheStartOfTheUtcDay() {
        Instant midnight = Instant.parse("2024-03-10T00:00:00Z");

        assertThat(NONE.defaultCutoff(Instant.parse("2024-03-10T00:00:00Z"))).isEqualTo(midnight);
        assertThat(NONE.defaultCutoff(Instant.parse("2024-03-10T23:59:59.999Z"))).isEqualTo(midnight);
        assertThat(NONE.defaultCutoff(Instant.parse("2024-03-09T23:59:59.999Z"))).isEqualTo(Instant.parse("2024-03-09T00:00:00Z"));
    }

    @Test
    void aWeekdaySchedulesCutoffOnAMondayIsFridaysTick() {
        ScheduleSpec weekdays = new ScheduleSpec(Optional.of("30 6 * * MON-FRI"), Optional.empty(), Optional.empty());

        assertThat(weekdays.defaultCutoff(Instant.parse("2024-03-11T06:00:00Z")))   // a Monday, before its tick
                .isEqualTo(Instant.parse("2024-03-08T06:30:00Z"));
    }

    @Test
    void theScheduledTickIsTheDefaultCutoffAndNoneWithoutASchedule() {
        Instant now = Instant.parse("2024-03-10T17:45:12.345Z");

        assertThat(NIGHTLY.lastRetrainTick(now)).contains(NIGHTLY.defaultCutoff(now));
        assertThat(NONE.lastRetrainTick(now)).isEmpty();
    }

    @Test
    void maintenanceAndPublicationTickOnTheirOwnCrons() {
        ScheduleSpec everyQuarter = new ScheduleSpec(Optional.empty(), Optional.empty(), Optional.of("*/15 * * * *"));

        assertThat(NIGHTLY.lastMaintainTick(Instant.parse("2024-03-10T02:29:59Z"))).contains(Instant.parse("2024-03-10T01:30:00Z"));
        assertThat(NIGHTLY.lastMaintainTick(Instant.parse("2024-03-10T02:30:00Z"))).contains(Instant.parse("2024-03-10T02:30:00Z"));
        assertThat(NONE.lastMaintainTick(Instant.parse("2024-03-10T02:30:00Z"))).isEmpty();
        assertThat(everyQuarter.lastPublishTick(Instant.parse("2024-03-10T02:44:59Z"))).contains(Instant.parse("2024-03-10T02:30:00Z"));
        assertThat(NIGHTLY.lastPublishTick(Instant.parse("2024-03-10T02:44:59Z"))).isEmpty();
    }
}
