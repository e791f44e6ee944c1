package io.tessera.batch;

import picocli.CommandLine;

/**
 * How a batch job that fails ends: one line on stderr saying what is wrong (the exception's message,
 * which for a file names the file, the line and the byte offset), exit code 1, and the stack trace only
 * with {@code --verbose} (or {@code TESSERA_DEBUG} set): users act on the message, developers ask for the trace.
 */
final class JobFailure implements CommandLine.IExecutionExceptionHandler {

    static final int FAILED = 1;

    private final boolean verbose;

    JobFailure(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        commandLine.getErr().println("error: " + message(e) + (verbose ? "" : " (--verbose for the stack trace)"));
        if (verbose) {
            e.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().flush();
        return FAILED;
    }

    /** The message, with the root cause's when another exception wrapped it; never a blank line. */
    static String message(Throwable e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof IllegalArgumentException) {
            return message;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e || message.contains(String.valueOf(root.getMessage())) ? message : message + " (cause: " + root + ")";
    }
}
