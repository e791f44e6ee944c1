package io.tessera.batch.maintain;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tessera.batch.lake.PipelineJobOptions;
import io.tessera.batch.lake.PipelineTables;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lake-maintain}: a pipeline's {@link LakeMaintenance}, one line per step. */
@Command(name = "lake-maintain", description = "Expire old snapshots, compact small files, remove orphan files and stale ingest branches"
        + " of lake.<pipeline>, keeping what the ingest log, models, published views and the speed-layer cut need.")
public final class MaintainJob implements Callable<Integer> {

    @Mixin
    PipelineJobOptions options;

    @Option(names = "--retain", converter = Age.class, paramLabel = "AGE",
            description = "Expire snapshots older than this in every table: 7d, 36h, 90m, 0 (default: each table's"
                    + " history.expire.max-snapshot-age-ms, else 7d).")
    Duration retain;

    @Option(names = "--keep-last", paramLabel = "N",
            description = "Keep the newest N snapshots of each table whatever their age (default: ${DEFAULT-VALUE}).")
    int keepLast = LakeMaintenance.DEFAULT_KEEP_LAST;

    @Option(names = "--orphan-age", converter = Age.class, paramLabel = "AGE",
            description = "Remove unreferenced data files older than this (default: 3d; younger ones may be a commit in progress).")
    Duration orphanAge = LakeMaintenance.DEFAULT_ORPHAN_AGE;

    @Option(names = "--dry-run", description = "Report what would be done; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        return options.run("lake-maintain", (spec, spark) -> {
            System.out.println("lake maintain " + spec.spec().name() + (dryRun ? " (dry run: nothing changed)" : ""));
            LakeMaintenance maintenance = new LakeMaintenance(spark, new PipelineTables(spark, spec.spec()), Clock.systemUTC())
                    .keepingLast(keepLast).removingOrphansOlderThan(orphanAge).dryRun(dryRun);
            if (retain != null) {
                maintenance.retaining(retain);
            }
            maintenance.run().forEach(System.out::println);
        });
    }

    /** An age as operators write it: a number and a unit (d, h, m, s), or 0. */
    static final class Age implements CommandLine.ITypeConverter<Duration> {

        private static final Pattern AGE = Pattern.compile("(\\d+)([dhms])");

        @Override
        public Duration convert(String value) {
            if (value.equals("0")) {
                return Duration.ZERO;
            }
            Matcher matcher = AGE.matcher(value.toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an age such as 7d, 36h, 90m, 30s or 0");
            }
            long n = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }
}
