package io.tessera.featurestore.expr;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;

/**
 * A compiled, type-checked boolean CEL expression ({@code where}, {@code positive}, {@code promote_if}).
 * Immutable and thread-safe; every engine evaluates the same CEL program, so they agree.
 *
 * <p>An expression that reads a variable the input has no value for (a field absent from an event) is
 * false, whatever the rest of it says, as a SQL {@code WHERE} on a null is: an event from before a field
 * existed cannot pass a condition on that field.
 */
public final class Condition {

    private final String source;
    private final CelRuntime.Program program;
    /** The variables the expression reads: checked for absence before evaluating, without allocating. */
    private final String[] reads;
    /** The expression as plain comparisons, or null: then only CEL's interpreter evaluates it. */
    private final PlainCondition plain;

    Condition(String source, CelRuntime.Program program, String[] reads, PlainCondition plain) {
        this.source = source;
        this.program = program;
        this.reads = reads;
        this.plain = plain;
    }

    public String source() {
        return source;
    }

    /** Whether the expression reads {@code variable}. */
    public boolean reads(String variable) {
        return java.util.Arrays.asList(reads).contains(variable);
    }

    /**
     * @param variables a value for the declared variables: String, Long (int and long fields), Double,
     *     Boolean; a variable without a value (no entry, or null) makes the condition false
     * @throws ExpressionEvaluationException if evaluation fails on these values
     */
    public boolean test(Map<String, ?> variables) {
        for (String variable : reads) {
            if (variables.get(variable) == null) {
                return false;
            }
        }
        int answer = plain == null ? PlainCondition.INTERPRET : plain.test(variables);
        return answer == PlainCondition.INTERPRET ? interpreted(variables) : answer == PlainCondition.TRUE;
    }

    /** Whether the expression is evaluated without CEL's interpreter ({@link PlainCondition}). */
    boolean isPlain() {
        return plain != null;
    }

    /**
     * CEL's interpreter's answer, whatever the expression: the reference {@link PlainCondition} agrees with
     * (its test and {@code ConditionBenchmark} compare the two). Every variable the expression reads must have
     * a value.
     */
    public boolean interpreted(Map<String, ?> variables) {
        try {
            return (Boolean) program.eval(variables);
        } catch (CelEvaluationException | RuntimeException e) {
            // CEL reports most failures as CelEvaluationException, but a type surprise can surface as a
            // runtime exception of its interpreter: both mean this input cannot be evaluated.
            throw new ExpressionEvaluationException(source, e);
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
