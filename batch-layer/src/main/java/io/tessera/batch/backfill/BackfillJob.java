package io.tessera.batch.backfill;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.batch.lake.PipelineJobOptions;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backfill}: a pipeline's features as of past cutoffs into {@code lake.<pipeline>.feature_history} ({@link Backfill}). */
@Command(name = "backfill", description = "Features (and optionally training sets) as of past cutoffs into the lake; resumable.")
public final class BackfillJob implements Callable<Integer> {

    @Mixin
    PipelineJobOptions options;

    @Option(names = "--from", required = true, description = "The first cutoff (ISO-8601 instant).")
    Instant from;

    @Option(names = "--to", required = true, description = "The last cutoff, included (ISO-8601 instant).")
    Instant to;

    @Option(names = "--every", defaultValue = "PT24H", description = "Between two cutoffs (ISO-8601 duration).")
    Duration every;

    @Option(names = "--training-sets", description = "Also each cutoff's training set, as a retrain of the lake's current snapshot"
            + " and that cutoff would write it (a later such retrain trains on it).")
    boolean trainingSets;

    @Option(names = "--progress-bar", description = "Draw a progress bar (on a terminal) instead of one line per cutoff.")
    boolean bar;

    @Override
    public Integer call() throws Exception {
        List<Instant> cutoffs = Backfill.cutoffs(from, to, every);
        options.run("backfill", (spec, spark) -> {
            Backfill backfill = new Backfill(spark, spec);
            long started = System.nanoTime();
            Backfill.Outcome outcome;
            try (Lines lines = new Lines(bar)) {
                outcome = backfill.run(cutoffs, trainingSets, lines);
            }
            System.out.printf("backfill  %s: %d cutoffs computed (%d rows), %d already there, from lake snapshot %d, in %.1f s%n",
                    backfill.table(), outcome.computed().size(), outcome.rows(), outcome.skipped().size(), outcome.snapshotId(),
                    (System.nanoTime() - started) / 1e9);
            if (trainingSets) {
                System.out.printf("training  %s: %d training sets written, %d already there%n", backfill.trainingSetTable(),
                        outcome.trainingSets().size(), cutoffs.size() - outcome.trainingSets().size());
            }
        });
        return 0;
    }

    /** A progress bar on stderr, or one line per cutoff on stdout (in a log, a redrawn bar is noise). */
    private static final class Lines implements Backfill.Progress, AutoCloseable {
        private final boolean drawBar;
        private ProgressBar progressBar;

        Lines(boolean drawBar) {
            this.drawBar = drawBar;
        }

        @Override
        public void started(int cutoffs) {
            if (drawBar) {
                progressBar = new ProgressBarBuilder().setTaskName("backfill").setInitialMax(cutoffs).setUnit(" cutoffs", 1)
                        .setStyle(ProgressBarStyle.ASCII).setSpeedUnit(ChronoUnit.MINUTES)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
            }
        }

        @Override
        public void cutoff(Instant cutoff, boolean skipped, long rows) {
            if (progressBar != null) {
                progressBar.step();
                progressBar.setExtraMessage(" " + cutoff);
            } else {
                System.out.println("cutoff    " + cutoff + (skipped ? "  already there: skipped" : "  " + rows + " keys"));
            }
        }

        @Override
        public void close() {
            if (progressBar != null) {
                progressBar.close();
            }
        }
    }
}
