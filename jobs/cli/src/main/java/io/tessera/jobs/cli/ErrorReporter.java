package io.tessera.jobs.cli;

import io.tessera.stack.MissingPrerequisiteException;
import io.tessera.stack.SettingsException;
import io.tessera.stack.StackStartException;
import picocli.CommandLine;

/**
 * Turns failures into one precise line and an exit code, instead of a stack trace: users act on the
 * message; the stack trace is printed only with {@code TESSERA_DEBUG=1}.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    static final int FAILED = 1;
    static final int BAD_USAGE = 2;
    static final int MISSING_PREREQUISITE = 3;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + message(e)));
        if (System.getenv("TESSERA_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
        }
        if (e instanceof SettingsException) {
            return BAD_USAGE;
        }
        return e instanceof MissingPrerequisiteException ? MISSING_PREREQUISITE : FAILED;
    }

    private static String message(Throwable e) {
        if (e instanceof StackStartException || e instanceof MissingPrerequisiteException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getMessage() + (root != e ? " (cause: " + root + ")" : "");
    }
}
