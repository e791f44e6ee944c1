package io.tessera.jobs.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar of acknowledged records out of the file's, with the rate, redrawn on a terminal. */
public final class ConsoleProgress implements ReplayProgress {

    private final PrintStream out;
    private volatile ProgressBar bar;

    public ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    /**
     * Whether standard error is a terminal, where a redrawn bar reads well (in a log file it is noise).
     * {@link System#console()} answers for standard input and output only, so on Linux this asks what
     * file descriptor 2 is; elsewhere it falls back on the console.
     */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    @Override
    public void started(long records) {
        bar = new ProgressBarBuilder()
                .setTaskName("replay")
                .setInitialMax(records)
                .setUnit(" records", 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out))
                .build();
    }

    @Override
    public void acknowledged() {
        bar.step();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
