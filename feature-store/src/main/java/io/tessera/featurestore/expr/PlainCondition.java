package io.tessera.featurestore.expr;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The comparisons most conditions are made of, compiled once from CEL's checked syntax tree to plain Java:
 * a variable against a literal ({@code category == 'grocery_pos'}, {@code amt > 100}, {@code hour <= 6}),
 * joined by {@code &&}, {@code ||} and {@code !}. CEL's interpreter resolves each operator's overload and
 * copies the variables at every evaluation: one {@code where} on a string cost a twentieth of the speed
 * layer's CPU (docs/stack.md, "Conditions"); here it is a map lookup and a comparison. Anything else
 * (functions, arithmetic, lists, two variables) stays with the interpreter, and {@code PlainConditionTest}
 * checks that both give the same answer on the values that make comparisons subtle (NaN, signed zeros,
 * infinities, the ends of the int range).
 *
 * <p>An evaluation answers {@link #TRUE}, {@link #FALSE}, or {@link #INTERPRET} when a value is not of its
 * variable's Java type: then the caller asks CEL, whose answer (or error) is the reference.
 */
@FunctionalInterface
interface PlainCondition {

    int FALSE = 0;
    int TRUE = 1;
    int INTERPRET = -1;

    /** @param values every variable the condition reads has a value */
    int test(Map<String, ?> values);

    /** The plain form of a checked expression, if it is in the subset. */
    static Optional<PlainCondition> compile(CelExpr expr, Map<String, VariableType> variables) {
        return Optional.ofNullable(plain(expr, variables));
    }

    private static PlainCondition plain(CelExpr expr, Map<String, VariableType> variables) {
        if (expr.getKind() != CelExpr.ExprKind.Kind.CALL || expr.call().target().isPresent()) {
            return null;
        }
        String function = expr.call().function();
        List<CelExpr> args = expr.call().args();
        if (function.equals("!_") && args.size() == 1) {
            PlainCondition operand = plain(args.get(0), variables);
            return operand == null ? null : values -> {
                int result = operand.test(values);
                return result == INTERPRET ? INTERPRET : TRUE - result;
            };
        }
        if (args.size() != 2) {
            return null;
        }
        if (function.equals("_&&_") || function.equals("_||_")) {
            PlainCondition left = plain(args.get(0), variables);
            PlainCondition right = plain(args.get(1), variables);
            if (left == null || right == null) {
                return null;
            }
            // the left side alone decides when it is the operator's absorbing value, as in CEL
            int decides = function.equals("_&&_") ? FALSE : TRUE;
            return values -> {
                int first = left.test(values);
                return first == decides || first == INTERPRET ? first : right.test(values);
            };
        }
        return Comparison.of(function).map(comparison -> comparison(comparison, args.get(0), args.get(1), variables)).orElse(null);
    }

    private static PlainCondition comparison(Comparison comparison, CelExpr left, CelExpr right, Map<String, VariableType> variables) {
        if (left.getKind() == CelExpr.ExprKind.Kind.IDENT && right.getKind() == CelExpr.ExprKind.Kind.CONSTANT) {
            return comparison(comparison, left.ident().name(), right.constant(), variables);
        }
        if (left.getKind() == CelExpr.ExprKind.Kind.CONSTANT && right.getKind() == CelExpr.ExprKind.Kind.IDENT) {
            return comparison(comparison.mirrored(), right.ident().name(), left.constant(), variables);
        }
        return null;
    }

    private static PlainCondition comparison(Comparison comparison, String name, CelConstant literal, Map<String, VariableType> variables) {
        VariableType type = variables.get(name);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case STRING -> literal.getKind() == CelConstant.Kind.STRING_VALUE && comparison.isEquality()
                    ? equality(comparison, name, String.class, literal.stringValue()) : null;
            case BOOL -> literal.getKind() == CelConstant.Kind.BOOLEAN_VALUE && comparison.isEquality()
                    ? equality(comparison, name, Boolean.class, literal.booleanValue()) : null;
            case INT -> {
                if (literal.getKind() != CelConstant.Kind.INT64_VALUE) {
                    yield null;
                }
                long bound = literal.int64Value();
                yield values -> values.get(name) instanceof Long value ? answer(comparison.holds(Long.compare(value, bound))) : INTERPRET;
            }
            case DOUBLE -> {
                if (literal.getKind() == CelConstant.Kind.DOUBLE_VALUE) {
                    double bound = literal.doubleValue();
                    yield values -> values.get(name) instanceof Double value ? answer(comparison.holds(value, bound)) : INTERPRET;
                }
                // up to 2^53 every int literal is exactly a double
                if (literal.getKind() == CelConstant.Kind.INT64_VALUE && Math.abs(literal.int64Value()) <= 1L << 53) {
                    // CEL-Java compares a double with an int as Double.compare does: a NaN above every number
                    double bound = literal.int64Value();
                    yield values -> values.get(name) instanceof Double value ? answer(comparison.holds(Double.compare(value, bound))) : INTERPRET;
                }
                yield null;
            }
        };
    }

    private static <T> PlainCondition equality(Comparison comparison, String name, Class<T> type, T literal) {
        boolean equal = comparison == Comparison.EQUAL;
        return values -> {
            Object value = values.get(name);
            return type.isInstance(value) ? answer(literal.equals(value) == equal) : INTERPRET;
        };
    }

    private static int answer(boolean holds) {
        return holds ? TRUE : FALSE;
    }

    /** CEL's comparison operators, by their function names in the syntax tree. */
    enum Comparison {
        EQUAL("_==_"), NOT_EQUAL("_!=_"), LESS("_<_"), LESS_OR_EQUAL("_<=_"), GREATER("_>_"), GREATER_OR_EQUAL("_>=_");

        private final String function;

        Comparison(String function) {
            this.function = function;
        }

        static Optional<Comparison> of(String function) {
            for (Comparison comparison : values()) {
                if (comparison.function.equals(function)) {
                    return Optional.of(comparison);
                }
            }
            return Optional.empty();
        }

        boolean isEquality() {
            return this == EQUAL || this == NOT_EQUAL;
        }

        /** The same comparison with its operands swapped: {@code 5 < x} is {@code x > 5}. */
        Comparison mirrored() {
            return switch (this) {
                case LESS -> GREATER;
                case LESS_OR_EQUAL -> GREATER_OR_EQUAL;
                case GREATER -> LESS;
                case GREATER_OR_EQUAL -> LESS_OR_EQUAL;
                default -> this;
            };
        }

        /** @param order the sign of a total order's comparison of the two operands */
        boolean holds(int order) {
            return switch (this) {
                case EQUAL -> order == 0;
                case NOT_EQUAL -> order != 0;
                case LESS -> order < 0;
                case LESS_OR_EQUAL -> order <= 0;
                case GREATER -> order > 0;
                case GREATER_OR_EQUAL -> order >= 0;
            };
        }

        /** IEEE 754's comparisons: false for a NaN operand except {@code !=}, and {@code -0.0 == 0.0}. */
        boolean holds(double left, double right) {
            return switch (this) {
                case EQUAL -> left == right;
                case NOT_EQUAL -> left != right;
                case LESS -> left < right;
                case LESS_OR_EQUAL -> left <= right;
                case GREATER -> left > right;
                case GREATER_OR_EQUAL -> left >= right;
            };
        }
    }
}
