package io.tessera.featurestore.expr;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;

/**
 * A compiled, type-checked boolean CEL expression ({@code where}, {@code positive}, {@code promote_if}).
 * Immutable and thread-safe; every engine evaluates the same CEL program, so they agree.
 */
public final class Condition {

    private final String source;
    private final CelRuntime.Program program;

    Condition(String source, CelRuntime.Program program) {
        this.source = source;
        this.program = program;
    }

    public String source() {
        return source;
    }

    /**
     * @param variables a value for every declared variable: String, Long (int and long fields), Double,
     *     Boolean
     * @throws ExpressionEvaluationException if evaluation fails on these values
     */
    public boolean test(Map<String, ?> variables) {
        try {
            return (Boolean) program.eval(variables);
        } catch (CelEvaluationException e) {
            throw new ExpressionEvaluationException(source, e);
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
