package io.tessera.featurestore.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.featurestore.ExampleFiles;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken variants of the spec, each with the exact problems it must produce: path, line,
 * column and message. Every variant changes the example in one place (or a few), so the line numbers
 * below are those of {@code examples/card_fraud/pipeline.yaml}.
 */
class SpecProblemsTest {

    static Stream<Arguments> brokenSpecs() {
        return Stream.of(
                broken("the issue's example: unknown field with a suggestion",
                        "op: max,   of: amt,", "op: max,   of: amount,",
                        "features.aggregations[3].of (line 15, column 47): unknown field 'amount' (did you mean 'amt'?)"),
                broken("the pipeline named as the platform's own lake namespace",
                        "pipeline: card_fraud", "pipeline: platform",
                        "pipeline (line 1, column 11): 'platform' is reserved: the lake namespace of the platform's own tables"),
                broken("unknown top-level key",
                        "serving: { view: card_fraud }", "servng: { view: card_fraud }",
                        "servng (line 31, column 1): unknown key 'servng' (did you mean 'serving'?)"),
                broken("unknown key inside an aggregation",
                        "op: max,   of: amt,                 windows: [24h]", "op: max,   of: amt,                 windws: [24h]",
                        "features.aggregations[3].windws (line 15, column 68): unknown key 'windws' (did you mean 'windows'?)"),
                broken("wrong type: a list where a duration belongs",
                        "max_lateness: 1h", "max_lateness: [1h]",
                        "source.max_lateness (line 8, column 17): expected a duration like 1h, got a list"),
                broken("bad duration",
                        "max_lateness: 1h", "max_lateness: 1 hour",
                        "source.max_lateness (line 8, column 17): invalid duration '1 hour' (expected a whole number and a unit: ms, s, m, h, d or w (e.g. 30m, 1h, 7d))"),
                broken("window not a multiple of the tile",
                        "op: count,                          windows: [1h, 24h, 7d]", "op: count,                          windows: [1h, 90m, 7d]",
                        "features.aggregations[0].windows[1] (line 12, column 82): window 90m is not a multiple of the tile 1h"),
                broken("tile that does not divide a day",
                        "tile: 1h", "tile: 7h",
                        "features.tile (line 10, column 9): a tile must be at least 1s and divide 1d evenly (e.g. 5m, 15m, 1h, 1d), got 7h"),
                broken("the same window twice",
                        "windows: [24h, 7d]", "windows: [24h, 1d]",
                        "features.aggregations[2].windows[1] (line 14, column 83): window 1d repeats 24h"),
                broken("unknown op",
                        "op: max,", "op: maximum,",
                        "features.aggregations[3].op (line 15, column 36): unknown op 'maximum' (did you mean 'max'?)"),
                broken("op that needs a number given a string field",
                        "op: sum,   of: amt,", "op: sum,   of: merchant,",
                        "features.aggregations[1].of (line 13, column 47): op sum needs a numeric field, but 'merchant' is string"),
                broken("count with a field",
                        "op: count,                          windows: [1h", "op: count, of: amt,                 windows: [1h",
                        "features.aggregations[0].of (line 12, column 47): op count counts events and takes no 'of' (filter events with 'where')"),
                broken("op without its field",
                        "op: last,  of: amt }", "op: last }",
                        "features.aggregations[6].of (line 18, column 7): required for op last"),
                broken("where that names an unknown field",
                        "where: \"category == 'grocery_pos'\"", "where: \"categry == 'grocery_pos'\"",
                        "features.aggregations[4].where (line 16, column 51): undeclared reference to 'categry' (did you mean 'category'?)"),
                broken("where that is not a condition",
                        "where: \"category == 'grocery_pos'\"", "where: \"amt * 2.0\"",
                        "features.aggregations[4].where (line 16, column 55): expected type 'bool' but found 'double'"),
                broken("two features with the same column name",
                        "name: last_amt,", "name: amt,",
                        "features.event[0].name (line 20, column 15): feature column 'amt' is already defined by features.aggregations[6].name"),
                broken("invalid feature name",
                        "name: txn_count,", "name: TxnCount,",
                        "features.aggregations[0].name (line 12, column 15): invalid name 'TxnCount' (lower-case letters, digits and _, starting with a letter, at most 48)"),
                broken("unknown field type",
                        "amt: double", "amt: float64",
                        "source.fields.amt (line 7, column 34): unknown type 'float64' (expected one of string, int, long, double, boolean)"),
                broken("one_hot on a number",
                        "{ name: amt, of: amt }", "{ name: amt, of: amt, encode: one_hot }",
                        "features.event[0].encode (line 20, column 37): one_hot needs a string field, but 'amt' is double"),
                broken("unknown encoding",
                        "encode: one_hot", "encode: onehot",
                        "features.event[1].encode (line 21, column 47): unknown encoding 'onehot' (did you mean 'one_hot'?)"),
                broken("a string event feature without one_hot",
                        "{ name: category, of: category, encode: one_hot }", "{ name: category, of: category }",
                        "features.event[1].of (line 21, column 29): 'category' is a string: encode it with one_hot, or aggregate it"),
                broken("the label as a feature",
                        "    - { name: category, of: category, encode: one_hot }",
                        "    - { name: category, of: category, encode: one_hot }\n    - { name: fraud_flag, of: is_fraud }",
                        "features.event[2].of (line 22, column 31): 'is_fraud' is the label: a feature of the scored event's own label leaks it into the model"),
                broken("an aggregation of the label, without saying when labels are known",
                        "    - { name: last_amt,        op: last,  of: amt }",
                        "    - { name: last_amt,        op: last,  of: amt }\n    - { name: frauds, op: sum, of: is_fraud, windows: [7d] }",
                        "features.aggregations[7].of (line 19, column 36): 'is_fraud' is the label: an aggregation over it would feed"
                                + " each event's label into the features the moment the event happens, long before anyone knows it; say"
                                + " when labels become known (label: { field: is_fraud, known_after: 30d }) and it sees each label only"
                                + " from then on"),
                broken("a where on the label, without saying when labels are known",
                        "    - { name: last_amt,        op: last,  of: amt }",
                        "    - { name: last_amt,        op: last,  of: amt }\n    - { name: frauds, op: count, where: \"is_fraud == 1\" }",
                        "features.aggregations[7].where (line 19, column 41): 'is_fraud' is the label: an aggregation over it would feed"
                                + " each event's label into the features the moment the event happens, long before anyone knows it; say"
                                + " when labels become known (label: { field: is_fraud, known_after: 30d }) and it sees each label only"
                                + " from then on"),
                broken("a bad known_after",
                        "label: { field: is_fraud }", "label: { field: is_fraud, known_after: soon }",
                        "label.known_after (line 22, column 40): invalid duration 'soon' (expected a whole number and a unit: ms, s, m, h, d or w (e.g. 30m, 1h, 7d))"),
                broken("unknown point_in_time",
                        "  tile: 1h", "  tile: 1h\n  point_in_time: ingest_time",
                        "features.point_in_time (line 11, column 18): unknown point_in_time 'ingest_time' (did you mean 'ingestion_time'?)"),
                broken("unknown task",
                        "task: binary_classification", "task: classification",
                        "model.task (line 24, column 9): unknown task 'classification' (did you mean 'binary_classification'?)"),
                broken("unknown algorithm",
                        "algorithm: gbt", "algorithm: xgboost",
                        "model.algorithm (line 25, column 14): unknown algorithm 'xgboost' (expected one of logistic_regression, linear_regression, gbt, random_forest)"),
                broken("algorithm, its parameters and the metric that do not fit the task, all reported",
                        "task: binary_classification      # binary_classification | regression\n  algorithm: gbt",
                        "task: regression                 # binary_classification | regression\n  algorithm: logistic_regression",
                        "model.algorithm (line 25, column 14): logistic_regression cannot do regression (use linear_regression, gbt, random_forest)",
                        "model.params.maxDepth (line 26, column 26): unknown parameter 'maxDepth' for logistic_regression",
                        "model.metric (line 27, column 11): metric auc is for binary_classification; for regression use rmse or mae"),
                broken("metric of the other task",
                        "metric: auc", "metric: rmse",
                        "model.metric (line 27, column 11): metric rmse is for regression; for binary_classification use auc or logloss"),
                broken("unknown metric",
                        "metric: auc", "metric: f1",
                        "model.metric (line 27, column 11): unknown metric 'f1' (expected one of auc, logloss, rmse, mae)"),
                broken("percentage out of range",
                        "holdout: 20%", "holdout: 120%",
                        "model.holdout (line 28, column 12): invalid percentage '120%' (expected more than 0% and less than 100%, e.g. 20%)"),
                broken("percentage without a percent sign",
                        "holdout: 20%", "holdout: 20",
                        "model.holdout (line 28, column 12): invalid percentage '20' (expected more than 0% and less than 100%, e.g. 20%)"),
                broken("unknown training parameter",
                        "maxIter: 50", "maxIters: 50",
                        "model.params.maxIters (line 26, column 13): unknown parameter 'maxIters' for gbt (did you mean 'maxIter'?)"),
                broken("training parameter of the wrong type",
                        "maxDepth: 5", "maxDepth: five",
                        "model.params.maxDepth (line 26, column 36): expected an integer, got text 'five'"),
                broken("promotion rule that does not type-check",
                        "candidate >= champion - 0.005", "candidate >= champ - 0.005",
                        "model.promote_if (line 29, column 29): undeclared reference to 'champ' (did you mean 'champion'?)"),
                broken("cron with a value out of range",
                        "\"0 2 * * *\"", "\"0 25 * * *\"",
                        "schedule.retrain (line 30, column 22): invalid cron expression '0 25 * * *': value 25 not in range [0, 23] (5 fields: minute hour day-of-month month day-of-week)"),
                broken("cron with six fields",
                        "\"0 2 * * *\"", "\"0 0 2 * * *\"",
                        "schedule.retrain (line 30, column 22): invalid cron expression '0 0 2 * * *': cron expression contains 6 parts but we expect one of [5] (5 fields: minute hour day-of-month month day-of-week)"),
                broken("maintenance cron that does not parse",
                        "publish: \"15 * * * *\" }", "publish: \"15 * * * *\", maintain: \"hourly\" }",
                        "schedule.maintain (line 30, column 68): invalid cron expression 'hourly': cron expression contains 1 parts but we expect one of [5] (5 fields: minute hour day-of-month month day-of-week)"),
                broken("publication cron out of range",
                        "publish: \"15 * * * *\"", "publish: \"70 * * * *\"",
                        "schedule.publish (line 30, column 44): invalid cron expression '70 * * * *': value 70 not in range [0, 59] (5 fields: minute hour day-of-month month day-of-week)"),
                broken("misspelt timestamp format",
                        "format: epoch_seconds", "format: epoch_second",
                        "source.timestamp.format (line 6, column 42): unknown timestamp format 'epoch_second' (did you mean 'epoch_seconds'?)"),
                broken("timestamp field declared with a type its format cannot have",
                        "fields: { cc_num: string,", "fields: { unix_time: boolean, cc_num: string,",
                        "source.timestamp.field (line 6, column 23): 'unix_time' is declared boolean, but epoch_seconds timestamps are numbers"),
                broken("entity key that is not a field",
                        "key: cc_num", "key: card_number",
                        "entity.key (line 2, column 28): unknown field 'card_number' (fields: cc_num, amt, category, merchant, city_pop, is_fraud)"),
                broken("duplicate key",
                        "  tile: 1h\n", "  tile: 1h\n  tile: 2h\n",
                        "features.tile (line 11, column 3): duplicate key 'tile' (first at line 10)"),
                broken("a default for an op that has a value over no events",
                        "op: count, where:", "op: count, default: 1, where:",
                        "features.aggregations[4].default (line 16, column 52): 'default' applies to mean, min, max and last; count is 0 over no events"),
                broken("not YAML",
                        "count,                          windows: [1h, 24h, 7d] }", "count,                          windows: [1h, 24h, 7d }",
                        "<document> (line 12, column 90): invalid YAML: while parsing a flow sequence: expected ',' or ']', but got }"),
                broken("a default that is not a value of the field's type",
                        "amt: double", "amt: { type: double, default: cheap }",
                        "source.fields.amt.default (line 7, column 59): 'cheap' is not a valid double default"),
                broken("a default of null",
                        "amt: double", "amt: { type: double, default: null }",
                        "source.fields.amt.default (line 7, column 59): a default of null is no default: give a value of type double, or remove it"),
                broken("an unknown key in a field",
                        "amt: double", "amt: { type: double, dflt: 0 }",
                        "source.fields.amt.dflt (line 7, column 50): unknown key 'dflt' (did you mean 'default'?)"),
                broken("a default on the entity key",
                        "cc_num: string", "cc_num: { type: string, default: '0' }",
                        "source.fields.cc_num.default (line 7, column 46): the entity key cannot have a default: an event without a key belongs to no entity"),
                broken("a default on the label field",
                        "is_fraud: int", "is_fraud: { type: int, default: 0 }",
                        "source.fields.is_fraud.default (line 7, column 126): the label field cannot have a default: a made-up label would be learned as a true one"),
                broken("a future skew that is not a duration",
                        "max_lateness: 1h", "max_lateness: 1h\n  max_future_skew: tomorrow",
                        "source.max_future_skew (line 9, column 20): invalid duration 'tomorrow' (expected a whole number and a unit: ms, s, m, h, d or w (e.g. 30m, 1h, 7d))"),
                broken("a future skew of years",
                        "max_lateness: 1h", "max_lateness: 1h\n  max_future_skew: 1000d",
                        "source.max_future_skew (line 9, column 20): at most 365d: an event time further ahead is a unit error (milliseconds read as seconds), not a clock's skew"),
                broken("an event id that is not a field",
                        "max_lateness: 1h", "max_lateness: 1h\n  id: merchnt",
                        "source.id (line 9, column 7): unknown field 'merchnt' (did you mean 'merchant'?)"),
                broken("an event id that is a number with a fraction",
                        "max_lateness: 1h", "max_lateness: 1h\n  id: amt",
                        "source.id (line 9, column 7): an event id is a string, int or long field; amt is double"),
                broken("an event id with a default",
                        "merchant: string", "merchant: { type: string, default: x }",
                        "max_lateness: 1h", "max_lateness: 1h\n  id: merchant",
                        "source.fields.merchant.default (line 7, column 95): the event id field cannot have a default: two events would share it"),
                broken("several problems at once, in document order",
                        "topic: transactions", "topic: \"bad topic\"",
                        "op: max,   of: amt,", "op: max,   of: amount,",
                        "algorithm: gbt", "algorithm: xgboost",
                        "source.topic (line 4, column 10): invalid topic name 'bad topic' (letters, digits, '.', '_' and '-', at most 249)",
                        "features.aggregations[3].of (line 15, column 47): unknown field 'amount' (did you mean 'amt'?)",
                        "model.algorithm (line 25, column 14): unknown algorithm 'xgboost' (expected one of logistic_regression, linear_regression, gbt, random_forest)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenSpecs")
    void reportsExactlyTheseProblems(String variant, String yaml, List<String> expected) {
        SpecValidationException failure = catchThrowableOfType(SpecValidationException.class,
                () -> PipelineSpecs.parse(yaml, "pipeline.yaml"));

        assertThat(failure).as("the variant must be rejected").isNotNull();
        assertThat(failure.problems()).extracting(SpecProblem::toString).containsExactlyElementsOf(expected);
    }

    /** {@code broken(name, old, new, [old, new]..., expected...)}: edits are pairs of (old, new) text. */
    private static Arguments broken(String name, String... editsThenProblems) {
        String yaml = ExampleFiles.cardFraudSpec();
        int i = 0;
        while (i + 1 < editsThenProblems.length && yaml.contains(editsThenProblems[i]) && !isProblem(editsThenProblems[i])) {
            String old = editsThenProblems[i];
            if (yaml.indexOf(old) != yaml.lastIndexOf(old)) {
                throw new IllegalArgumentException(name + ": '" + old + "' is not unique in the example");
            }
            yaml = yaml.replace(old, editsThenProblems[i + 1]);
            i += 2;
        }
        if (i == 0) {
            throw new IllegalArgumentException(name + ": the edit '" + editsThenProblems[0] + "' does not apply");
        }
        return Arguments.of(name, yaml, List.of(editsThenProblems).subList(i, editsThenProblems.length));
    }

    private static boolean isProblem(String text) {
        return text.matches("^\\S+ \\(line \\d+, column \\d+\\): .*");
    }
}
