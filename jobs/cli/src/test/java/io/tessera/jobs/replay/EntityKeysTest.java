package io.tessera.jobs.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class EntityKeysTest {

    private static final List<String> HEADER = List.of("unix_time", "cc_num", "amt", "category", "merchant", "city_pop", "is_fraud");

    private final EntityKeys csv = new EntityKeys(ReplayTestData.cardFraud("t", "csv"), HEADER);
    private final EntityKeys json = new EntityKeys(ReplayTestData.cardFraud("t", "json"), List.of());

    @Test
    void aCsvLineIsKeyedByItsEntityKeyColumnWhereverTheHeaderPutsIt() {
        assertThat(csv.keyOf("1371816865,4111,2.5,grocery_pos,\"Kirlin, and Sons\",333,0")).isEqualTo("4111");
    }

    @Test
    void aCsvLineThatDoesNotParseOrHasNoKeyHasANullKey() {
        assertThat(csv.keyOf("1371816865,4111,2.5")).as("too few columns").isNull();
        assertThat(csv.keyOf("1371816865,4111,2.5,grocery_pos,\"unclosed,333,0")).as("unclosed quote").isNull();
        assertThat(csv.keyOf("1371816865,,2.5,grocery_pos,m,333,0")).as("empty key").isNull();
        assertThat(csv.keyOf("1371816865,  ,2.5,grocery_pos,m,333,0")).as("blank key").isNull();
    }

    @Test
    void aJsonLineIsKeyedByTheKeyAsWrittenWhateverItsJsonType() {
        assertThat(json.keyOf("{\"cc_num\": \"4111\", \"amt\": 2.5}")).isEqualTo("4111");
        assertThat(json.keyOf("{\"cc_num\": 4111}")).isEqualTo("4111");
        assertThat(json.keyOf("{\"cc_num\": 4111.50}")).isEqualTo("4111.50");
    }

    @Test
    void aJsonLineThatIsNoObjectOrHasNoKeyHasANullKey() {
        assertThat(json.keyOf("{\"cc_num\": ")).isNull();
        assertThat(json.keyOf("[1, 2]")).isNull();
        assertThat(json.keyOf("null")).isNull();
        assertThat(json.keyOf("{\"amt\": 2.5}")).isNull();
        assertThat(json.keyOf("{\"cc_num\": null}")).isNull();
        assertThat(json.keyOf("{\"cc_num\": \"\"}")).isNull();
    }
}
