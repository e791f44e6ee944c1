package io.tessera.featurestore.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.spec.SourceFormat;
import io.tessera.featurestore.spec.SourceSpec;
import io.tessera.featurestore.spec.FieldType;
import io.tessera.featurestore.spec.TimestampSpec;
import io.tessera.featurestore.time.TimestampFormat;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventDecoderTest {

    private static final SourceSpec SOURCE = new SourceSpec("t", SourceFormat.CSV,
            new TimestampSpec("unix_time", new TimestampFormat.EpochSeconds()), fields(), Duration.ofHours(1));

    private static Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("cc_num", FieldType.STRING);
        fields.put("amt", FieldType.DOUBLE);
        fields.put("city_pop", FieldType.LONG);
        fields.put("is_fraud", FieldType.INT);
        fields.put("online", FieldType.BOOLEAN);
        return fields;
    }

    private final EventDecoder decoder = new EventDecoder(SOURCE, "cc_num");

    @Test
    void decodesTextIntoTypedValues() {
        DecodeResult result = decoder.decode(Map.of("unix_time", "1371816865", "cc_num", "2291163933867244",
                "amt", "2.86", "city_pop", "333497", "is_fraud", "0", "online", "true", "ignored", "x"));

        assertThat(result).isEqualTo(new DecodeResult.Accepted(new Event(1_371_816_865_000L, Map.of(
                "cc_num", "2291163933867244", "amt", 2.86, "city_pop", 333497L, "is_fraud", 0L, "online", true))));
    }

    @Test
    void rejectsAnEventWithoutItsEntityKeyEvenThoughEmptyIsAValidString() {
        DecodeResult result = decoder.decode(Map.of("unix_time", "1371816865", "cc_num", " ",
                "amt", "2.86", "city_pop", "333497", "is_fraud", "0", "online", "true"));

        assertThat(result).isEqualTo(new DecodeResult.Rejected(DecodeResult.MISSING_FIELD, "field 'cc_num' is missing"));
    }

    @Test
    void decodesJsonValues() {
        DecodeResult result = decoder.decode(Map.of("unix_time", new BigDecimal("1371816865.5"), "cc_num", "1",
                "amt", new BigDecimal("2.86"), "city_pop", 10, "is_fraud", 1, "online", false));

        assertThat(result).isInstanceOf(DecodeResult.Accepted.class);
        Event event = ((DecodeResult.Accepted) result).event();
        assertThat(event.time()).isEqualTo(1_371_816_865_500L);
        assertThat(event.fields()).containsEntry("amt", 2.86).containsEntry("city_pop", 10L).containsEntry("online", false);
    }

    @Test
    void rejectsWithAReasonInsteadOfDropping() {
        Map<String, Object> good = new LinkedHashMap<>(Map.of("unix_time", "1371816865", "cc_num", "1", "amt", "2.86",
                "city_pop", "1", "is_fraud", "0", "online", "false"));

        assertThat(decoder.decode(with(good, "amt", null)))
                .isEqualTo(new DecodeResult.Rejected("missing_field", "field 'amt' is missing"));
        assertThat(decoder.decode(with(good, "amt", "NaN")))
                .isEqualTo(new DecodeResult.Rejected("bad_value", "field 'amt': 'NaN' is not a valid double"));
        assertThat(decoder.decode(with(good, "is_fraud", "9999999999")))
                .isEqualTo(new DecodeResult.Rejected("bad_value", "field 'is_fraud': '9999999999' is not a valid int"));
        assertThat(decoder.decode(with(good, "online", "maybe")))
                .isEqualTo(new DecodeResult.Rejected("bad_value", "field 'online': 'maybe' is not a valid boolean"));
        assertThat(decoder.decode(with(good, "unix_time", "yesterday")))
                .isEqualTo(new DecodeResult.Rejected("bad_timestamp", "field 'unix_time': not epoch seconds: 'yesterday'"));
        assertThat(decoder.decode(with(good, "unix_time", null)))
                .isEqualTo(new DecodeResult.Rejected("missing_field", "timestamp field 'unix_time' is missing"));
    }

    @Test
    void recordParserSplitsQuotedCsvAndJson() {
        List<String> header = RecordParser.csvHeader(",cc_num,merchant,amt");
        RecordParser csv = new RecordParser(SourceFormat.CSV, header);

        assertThat(csv.parse("2,3598215285024754,\"fraud_Swaniawski, Nitzsche and Welch\",41.28"))
                .containsEntry("merchant", "fraud_Swaniawski, Nitzsche and Welch").containsEntry("amt", "41.28");
        assertThatThrownBy(() -> csv.parse("1,2")).isInstanceOf(RecordParser.MalformedRecordException.class)
                .hasMessage("CSV record has 2 columns, the header 4");
        RecordParser json = new RecordParser(SourceFormat.JSON, List.of());
        assertThat(json.parse("{\"amt\": 41.28, \"n\": 3}")).containsEntry("amt", new BigDecimal("41.28")).containsEntry("n", 3);
        assertThatThrownBy(() -> json.parse("{\"amt\": ")).isInstanceOf(RecordParser.MalformedRecordException.class);
    }

    private static Map<String, Object> with(Map<String, Object> record, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(record);
        copy.put(field, value);
        return copy;
    }
}
