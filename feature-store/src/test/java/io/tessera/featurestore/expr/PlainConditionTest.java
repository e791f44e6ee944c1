package io.tessera.featurestore.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A condition in the plain subset answers what CEL's interpreter answers, for every combination of values
 * that makes a comparison subtle; one outside the subset is left to the interpreter.
 */
class PlainConditionTest {

    private static final ExpressionEnvironment ENVIRONMENT = ExpressionEnvironment.of(variables());

    private static Map<String, VariableType> variables() {
        Map<String, VariableType> variables = new LinkedHashMap<>();
        variables.put("s", VariableType.STRING);
        variables.put("b", VariableType.BOOL);
        variables.put("i", VariableType.INT);
        variables.put("d", VariableType.DOUBLE);
        return variables;
    }

    private static final List<Object> STRINGS = List.of("a", "b", "", "é", "\uD83D\uDE00");
    private static final List<Object> BOOLS = List.of(true, false);
    private static final List<Object> INTS = List.of(0L, -1L, 4L, 5L, 6L, -3L, Long.MAX_VALUE, Long.MIN_VALUE, 9_007_199_254_740_993L);
    private static final List<Object> DOUBLES = List.of(0.0, -0.0, 1.5, 100.0, 99.99, 100.00000000000001, -2.0, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e308, Double.MIN_VALUE, 9.007199254740992E15);

    @ParameterizedTest
    @ValueSource(strings = {
        "s == 'a'", "s != 'a'", "'a' == s", "s == ''", "s == 'é'",
        "b == true", "b != false", "false == b",
        "i == 5", "i != 5", "i < 5", "i <= 5", "i > 5", "i >= 5", "5 < i", "-3 >= i", "i > 9223372036854775807", "i >= -9223372036854775807",
        "d == 0.0", "d == -0.0", "d != 0.0", "d < 1.5", "d <= 1.5", "d > 100", "d >= 100", "100 > d", "d < -2", "d >= 1e308",
        "d > 100.0", "d <= 9007199254740992", "d < 0", "d >= 0",
        "s == 'a' && d > 1.5", "s == 'a' || i < 0", "!(i < 5)", "!(s == 'b') && (b == true || d >= 0.0)", "!(d != 1.5)"})
    void answersAsTheInterpreter(String source) throws InvalidExpressionException {
        Condition condition = ENVIRONMENT.condition(source);
        assertThat(condition.isPlain()).as(source).isTrue();
        for (Map<String, Object> values : allValues()) {
            assertThat(outcome(condition::test, values)).as("%s with %s", source, values).isEqualTo(outcome(condition::interpreted, values));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"size(s) > 2", "i + 1 > 3", "s in ['a', 'b']", "d > i", "i > 2.5", "d > 9007199254740993",
        "s == 'a' && size(s) > 0", "s < 'b'", "true"})
    void leavesTheRestToTheInterpreter(String source) throws InvalidExpressionException {
        Condition condition = ENVIRONMENT.condition(source);
        assertThat(condition.isPlain()).as(source).isFalse();
        Map<String, Object> values = Map.of("s", "abc", "b", true, "i", 4L, "d", 4.5);
        assertThat(condition.test(values)).isEqualTo(condition.interpreted(values));
    }

    /** A value that is not its variable's Java type is the interpreter's to judge (it may still compare it, or fail). */
    @ParameterizedTest
    @ValueSource(strings = {"i == 5", "d > 1.5", "s == 'a'", "b == true", "s == 'a' || i > 3"})
    void aValueOfAnotherJavaTypeIsInterpreted(String source) throws InvalidExpressionException {
        Condition condition = ENVIRONMENT.condition(source);
        Map<String, Object> values = Map.of("s", 'a', "b", "true", "i", 5, "d", 2.5f);
        assertThat(outcome(condition::test, values)).isEqualTo(outcome(condition::interpreted, values));
    }

    private interface Evaluation {
        boolean test(Map<String, ?> values);
    }

    /** "true", "false", or the failure's class: an error must stay an error. */
    private static String outcome(Evaluation evaluation, Map<String, Object> values) {
        try {
            return Boolean.toString(evaluation.test(values));
        } catch (ExpressionEvaluationException e) {
            return e.getClass().getSimpleName();
        }
    }

    private static List<Map<String, Object>> allValues() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object s : STRINGS) {
            for (Object b : BOOLS) {
                for (Object i : INTS) {
                    for (Object d : DOUBLES) {
                        Map<String, Object> values = new HashMap<>();
                        values.put("s", s);
                        values.put("b", b);
                        values.put("i", i);
                        values.put("d", d);
                        all.add(values);
                    }
                }
            }
        }
        return all;
    }
}
