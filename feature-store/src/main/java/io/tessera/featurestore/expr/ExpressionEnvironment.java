package io.tessera.featurestore.expr;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The variables an expression may use, with their types: the spec's {@code fields} for {@code where}
 * and {@code positive}, {@code candidate} and {@code champion} for {@code promote_if}.
 *
 * <p>Expressions are <a href="https://cel.dev">CEL</a> (Google's Common Expression Language, Java
 * implementation): safe (no side effects, always terminates), typed, and portable, so an expression is
 * checked once here and means the same in every engine. Numbers of different types compare as numbers
 * ({@code rating >= 4} works for a double {@code rating}), which is what spec authors expect.
 */
public final class ExpressionEnvironment {

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .build();
    private static final java.util.regex.Pattern UNDECLARED =
            java.util.regex.Pattern.compile("undeclared reference to '([^']*)'.*");

    private final Map<String, VariableType> variables;
    private final Cel cel;

    private ExpressionEnvironment(Map<String, VariableType> variables) {
        this.variables = variables;
        CelBuilder builder = CelFactory.standardCelBuilder().setOptions(OPTIONS).setResultType(SimpleType.BOOL);
        variables.forEach((name, type) -> builder.addVar(name, type.celType()));
        this.cel = builder.build();
    }

    /** An environment with these variables (name to type, in order). */
    public static ExpressionEnvironment of(Map<String, VariableType> variables) {
        return new ExpressionEnvironment(new LinkedHashMap<>(variables));
    }

    /** An environment of double variables. */
    public static ExpressionEnvironment ofDoubles(String... names) {
        Map<String, VariableType> vars = new LinkedHashMap<>();
        for (String name : names) {
            vars.put(name, VariableType.DOUBLE);
        }
        return new ExpressionEnvironment(vars);
    }

    public Set<String> variables() {
        return variables.keySet();
    }

    /** The declared variables the checked expression reads, in declaration order. */
    private String[] referencedVariables(CelAbstractSyntaxTree ast) {
        Set<String> named = new java.util.HashSet<>();
        ast.getReferenceMap().values().forEach(reference -> named.add(reference.name()));
        return variables.keySet().stream().filter(named::contains).toArray(String[]::new);
    }

    /**
     * Parses and type-checks a boolean expression.
     *
     * @throws InvalidExpressionException listing every issue, each located in the expression text
     */
    public Condition condition(String source) throws InvalidExpressionException {
        CelValidationResult result = cel.compile(source);
        if (result.hasError()) {
            List<ExpressionIssue> issues = new ArrayList<>();
            for (CelIssue issue : result.getErrors()) {
                Matcher undeclared = UNDECLARED.matcher(issue.getMessage());
                Optional<String> unknown = undeclared.matches() ? Optional.of(undeclared.group(1)) : Optional.empty();
                String message = unknown.map(name -> "undeclared reference to '" + name + "'").orElse(issue.getMessage());
                issues.add(new ExpressionIssue(message, issue.getSourceLocation().getLine(),
                        issue.getSourceLocation().getColumn(), unknown));
            }
            throw new InvalidExpressionException(source, issues);
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            return new Condition(source, cel.createProgram(ast), referencedVariables(ast), PlainCondition.compile(ast.getExpr(), variables).orElse(null));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new InvalidExpressionException(source, List.of(new ExpressionIssue(e.getMessage(), 1, 0, Optional.empty())));
        }
    }
}
