package io.tessera.featurestore.spec;

import java.util.Optional;

/** When jobs run. {@code retrain} is a 5-field cron expression in UTC, already checked to parse. */
public record ScheduleSpec(Optional<String> retrain) {
}
