package io.tessera.featurestore.spec;

import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Checks 5-field (Unix) cron expressions with cron-utils, the same library the scheduler can use to
 * compute run times: minute, hour, day of month, month, day of week; names like {@code MON-FRI} allowed.
 */
final class CronSchedule {

    private static final CronParser PARSER =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(com.cronutils.model.CronType.UNIX));

    private CronSchedule() {
    }

    /** Empty if the expression is valid, else why not. */
    static Optional<String> problemWith(String expression) {
        try {
            PARSER.parse(expression).validate();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage() == null ? "does not parse" : e.getMessage()
                    .replace("Failed to parse cron expression. ", "")
                    .replace("Failed to parse '" + expression + "'. ", "");
            if (!reason.isEmpty()) {
                reason = Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
            }
            return Optional.of(reason);
        }
    }

    /**
     * The newest tick of {@code expression} (UTC) at or before {@code now}: a run started late, or re-run
     * after a crash, still belongs to the tick it was scheduled for.
     *
     * @throws IllegalArgumentException if the expression does not parse, or never fires before {@code now}
     */
    static Instant lastTickAtOrBefore(String expression, Instant now) {
        ExecutionTime times = ExecutionTime.forCron(PARSER.parse(expression));
        // cron-utils answers strictly before its argument: one second past now's whole second counts a tick at now
        Instant probe = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        return times.lastExecution(probe.atZone(ZoneOffset.UTC))
                .map(tick -> tick.toInstant())
                .orElseThrow(() -> new IllegalArgumentException("cron \"" + expression + "\" has no tick before " + now));
    }
}
