package io.tessera.featurestore.expr;

/**
 * A type-checked expression that still failed on one input (integer overflow, division by zero). The
 * engine quarantines the event with reason {@code expression_error}; it is never treated as false.
 */
public class ExpressionEvaluationException extends RuntimeException {

    public ExpressionEvaluationException(String source, Throwable cause) {
        super("expression '" + source + "' failed: " + cause.getMessage(), cause);
    }
}
