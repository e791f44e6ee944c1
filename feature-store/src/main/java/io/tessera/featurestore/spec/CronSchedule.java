package io.tessera.featurestore.spec;

import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
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
}
