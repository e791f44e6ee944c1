package io.tessera.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import io.tessera.batch.ingest.UnreadableFileException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A failing batch job ends with one line and exit 1; the stack trace only when asked for. */
class JobFailureTest {

    @Command(name = "failing")
    static final class Failing implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new UnreadableFileException("/data/photo.csv: line 3, byte offset 8: a NUL byte; this is not a text file");
        }
    }

    @Command(name = "wrapped")
    static final class Wrapped implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("publish failed", new java.io.IOException("disk full"));
        }
    }

    @Test
    void oneLineAndExitOneWithoutAStackTrace() {
        StringWriter err = new StringWriter();

        int exit = run(new Failing(), false, err);

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("error: /data/photo.csv: line 3, byte offset 8: a NUL byte; this is not a text file"
                + " (--verbose for the stack trace)" + System.lineSeparator());
    }

    @Test
    void aWrappedFailureNamesItsRootCauseOnTheSameLine() {
        StringWriter err = new StringWriter();

        run(new Wrapped(), false, err);

        assertThat(err.toString().lines()).containsExactly(
                "error: publish failed (cause: java.io.IOException: disk full) (--verbose for the stack trace)");
    }

    @Test
    void verboseAddsTheStackTrace() {
        StringWriter err = new StringWriter();

        run(new Failing(), true, err);

        assertThat(err.toString()).contains("\tat io.tessera.batch.JobFailureTest$Failing.call");
    }

    private static int run(Object command, boolean verbose, StringWriter err) {
        return new CommandLine(command).setErr(new PrintWriter(err, true)).setExecutionExceptionHandler(new JobFailure(verbose)).execute();
    }
}
