package io.tessera.featurestore.expr;

import java.util.Optional;

/**
 * One problem in an expression, located inside the expression text.
 *
 * @param line 1-based line within the expression
 * @param column 0-based column within that line
 * @param unknownVariable the name, when the problem is a reference to an undeclared variable (so the
 *     caller can suggest a close one)
 */
public record ExpressionIssue(String message, int line, int column, Optional<String> unknownVariable) {
}
