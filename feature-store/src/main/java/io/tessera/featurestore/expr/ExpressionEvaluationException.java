package io.tessera.featurestore.expr;

/**
 * A type-checked expression that still failed on one input (integer overflow, division by zero). The
 * engine quarantines the event with reason {@code expression_error} ({@code DecodeResult.EXPRESSION_ERROR})
 * and {@link #getMessage()} as the detail; it is never treated as false. {@code FeaturePlan.add} throws it
 * before changing any tile, so the key's state is as if the event never came.
 */
public class ExpressionEvaluationException extends RuntimeException {

    public ExpressionEvaluationException(String source, Throwable cause) {
        super("expression '" + source + "' failed: " + cause.getMessage(), cause);
    }
}
