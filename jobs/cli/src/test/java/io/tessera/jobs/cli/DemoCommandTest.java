package io.tessera.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.tessera.jobs.demo.StackTour;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo end to end against the test stack: Spark and Flink in JVMs of their own, launched the way
 * {@code ./platform demo} launches them. Flink must read exactly the rows Trino counts in what Spark wrote.
 */
@Tag("e2e")
@LocalStackTest
class DemoCommandTest {

    @Test
    void demoRunsThroughEveryServiceAndTheEnginesAgree(TestStack stack) throws Exception {
        int exitCode = PlatformCommand.commandLine().execute("--home", stack.settings().home().toString(), "demo");

        assertThat(exitCode).isZero();
        StackTour tour = new StackTour(null, null, stack.trinoJdbcUrl());
        List<String> lake = tour.trinoQuery("SELECT count(*), count(DISTINCT card) FROM lake.demo.events");
        long rows = Long.parseLong(lake.get(0).split("\\|")[0]);
        assertThat(rows).isPositive().isEqualTo(rows / 3 * 3);
        assertThat(lake.get(0)).endsWith("|2");
        assertThat(tour.trinoQuery("SELECT score FROM serving.demo.scores WHERE card = '4222'")).containsExactly("0.87");
    }
}
