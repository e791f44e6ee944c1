package io.tessera.featurestore.expr;

import java.util.List;
import java.util.stream.Collectors;

/** An expression that does not parse or does not type-check against the declared variables. */
public class InvalidExpressionException extends Exception {

    private final transient List<ExpressionIssue> issues;

    public InvalidExpressionException(String source, List<ExpressionIssue> issues) {
        super("invalid expression '" + source + "': "
                + issues.stream().map(ExpressionIssue::message).collect(Collectors.joining("; ")));
        this.issues = List.copyOf(issues);
    }

    public List<ExpressionIssue> issues() {
        return issues;
    }
}
