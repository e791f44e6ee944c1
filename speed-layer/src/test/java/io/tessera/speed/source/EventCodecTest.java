package io.tessera.speed.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.PipelineSpecs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event a key's task reads back is the one the source task decoded, field for field and type for type. */
class EventCodecTest {

    private static final PipelineSpec SPEC = PipelineSpecs.parse("""
            pipeline: codec
            entity: { name: card, key: card }
            source:
              topic: t
              format: json
              timestamp: { field: ts, format: epoch_millis }
              fields: { card: string, amt: double, n: long, parts: int, flagged: boolean, zip: { type: string, default: "none" } }
              max_lateness: 1h
            features:
              tile: 10m
              aggregations:
                - { name: total, op: sum, of: amt, where: "100 / parts > 10", windows: [1h] }
            label: { field: flagged }
            model: { task: binary_classification, algorithm: gbt }
            """, "codec.yaml");

    private final EventCodec codec = new EventCodec(SPEC);

    @Test
    void everyTypeAndAnAbsentFieldSurviveTheTrip() {
        Event event = new Event(1_700_000_000_123L, Map.of("card", "4000 ü", "amt", -12.5, "n", Long.MIN_VALUE, "parts", 3L,
                "flagged", true));

        Event back = codec.decode(codec.encode(event));

        assertThat(back).isEqualTo(event);
        assertThat(back.has("zip")).isFalse();
    }

    @Test
    void aRecordDecodedBeforeTheShuffleCarriesItsEventAndSelection() {
        RecordDecoding decoding = new RecordDecoding(SPEC);
        String line = "{\"card\":\"c1\",\"ts\":1700000000000,\"amt\":4.5,\"n\":7,\"parts\":2,\"flagged\":false,\"zip\":\"29209\"}";
        RecordDecoding.Valid valid = (RecordDecoding.Valid) decoding.decode(line, null);

        DecodedRecord record = new DecodedRecord(new SourceRecord(line, "kafka:t/0@5", false, null, "c1"), valid, codec);

        assertThat(record.entity).isEqualTo("c1");
        assertThat(record.event(codec)).isEqualTo(valid.event());
        assertThat(record.selection().includes(0)).isTrue();
        assertThat(record.value).isEqualTo(line);
        assertThat(record.source).isEqualTo("kafka:t/0@5");
    }

    @Test
    void aConditionThatCannotBeEvaluatedIsAnExpressionError() {
        RecordDecoding.Outcome outcome = new RecordDecoding(SPEC)
                .decode("{\"card\":\"c1\",\"ts\":1700000000000,\"amt\":4.5,\"n\":1,\"parts\":0,\"flagged\":false}", null);

        assertThat(outcome).isInstanceOfSatisfying(RecordDecoding.Invalid.class, invalid -> {
            assertThat(invalid.reason()).isEqualTo("expression_error");
            assertThat(invalid.detail()).contains("100 / parts");
        });
    }
}
