package io.tessera.jobs.schedule;

import java.nio.file.Path;
import java.util.Objects;

import io.tessera.featurestore.spec.ScheduleSpec;

/** A pipeline the scheduler runs jobs of: its name, its spec file and the spec's {@code schedule}. */
public record ScheduledPipeline(String name, Path spec, ScheduleSpec schedule) {

    public ScheduledPipeline {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(schedule, "schedule");
    }
}
