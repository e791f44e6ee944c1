package io.tessera.featurestore.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.featurestore.spec.SourceFormat;
import io.tessera.featurestore.spec.SourceSpec;
import io.tessera.featurestore.spec.FieldType;
import io.tessera.featurestore.spec.TimestampSpec;
import io.tessera.featurestore.time.TimestampFormat;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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

    /** The time of ingest of the plausibility tests: 2024-01-01T00:00:00Z. */
    private static final Instant INGEST = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void eventTimesOutsideThePlausibleRangeAreQuarantinedNotStored() {
        EventDecoder atIngest = new EventDecoder(SOURCE, "cc_num", Clock.fixed(INGEST, ZoneOffset.UTC));
        Map<String, Object> good = new LinkedHashMap<>(Map.of("unix_time", "1371816865", "cc_num", "1", "amt", "2.86",
                "city_pop", "1", "is_fraud", "0", "online", "false"));
        long ingest = INGEST.getEpochSecond();

        assertThat(atIngest.decode(with(good, "unix_time", Long.toString(ingest + 86_400)))).isInstanceOf(DecodeResult.Accepted.class);
        assertThat(atIngest.decode(with(good, "unix_time", "0"))).isInstanceOf(DecodeResult.Accepted.class);
        assertThat(atIngest.decode(with(good, "unix_time", Long.toString(ingest + 86_401))))
                .isEqualTo(new DecodeResult.Rejected("future_timestamp", "field 'unix_time': '1704153601' is 2024-01-02T00:00:01Z,"
                        + " more than PT24H after the time of ingest 2024-01-01T00:00:00Z"));
        // milliseconds and microseconds in an epoch_seconds field: far in the future, never an overflow
        assertThat(reason(atIngest.decode(with(good, "unix_time", "1371816865000")))).isEqualTo("future_timestamp");
        assertThat(reason(atIngest.decode(with(good, "unix_time", "1371816865000000")))).isEqualTo("future_timestamp");
        assertThat(atIngest.decode(with(good, "unix_time", "-1")))
                .isEqualTo(new DecodeResult.Rejected("bad_timestamp", "field 'unix_time': '-1' is before 1970-01-01"));
        // beyond what epoch milliseconds hold, in every format
        assertThat(atIngest.decode(with(good, "unix_time", "1371816865000000000")))
                .isEqualTo(new DecodeResult.Rejected("bad_timestamp", "field 'unix_time': '1371816865000000000' is beyond epoch milliseconds"));
        assertThat(reason(atIngest.decode(with(good, "unix_time", "1e999999999")))).isEqualTo("bad_timestamp");
        assertThat(reason(atIngest.decode(with(good, "unix_time", "-9223372036854775.808")))).isEqualTo("bad_timestamp");
        SourceSpec iso = new SourceSpec("t", SourceFormat.JSON, new TimestampSpec("ts", new TimestampFormat.Iso8601()),
                Map.of("cc_num", FieldType.STRING), Duration.ofHours(1));
        assertThat(reason(new EventDecoder(iso, "cc_num").decode(Map.of("ts", "+999999999-12-31T23:59:59Z", "cc_num", "1"))))
                .isEqualTo("bad_timestamp");
    }

    @Test
    void theFutureSkewIsTheSpecs() {
        SourceSpec hour = new SourceSpec("t", SourceFormat.JSON, new TimestampSpec("ts", new TimestampFormat.EpochMillis()),
                Map.of("k", FieldType.STRING), Duration.ofHours(1), Map.of(), Duration.ofHours(1));
        EventDecoder decoder = new EventDecoder(hour, "k", Clock.fixed(INGEST, ZoneOffset.UTC));
        long ingest = INGEST.toEpochMilli();

        assertThat(decoder.decode(Map.of("ts", ingest + 3_600_000, "k", "1"))).isInstanceOf(DecodeResult.Accepted.class);
        assertThat(reason(decoder.decode(Map.of("ts", ingest + 3_600_001, "k", "1")))).isEqualTo("future_timestamp");
    }

    @Test
    void anOptionalFieldMayBeAbsentAndStaysAbsent() {
        SourceSpec optional = new SourceSpec("t", SourceFormat.CSV, SOURCE.timestamp(), fields(), Duration.ofHours(1),
                Map.of("amt", 0.0, "online", true), SourceSpec.DEFAULT_MAX_FUTURE_SKEW);
        EventDecoder decoder = new EventDecoder(optional, "cc_num");
        Map<String, Object> record = new LinkedHashMap<>(Map.of("unix_time", "1371816865", "cc_num", "1",
                "city_pop", "1", "is_fraud", "0", "online", " "));

        Event event = ((DecodeResult.Accepted) decoder.decode(record)).event();

        // absent, not the default: aggregations skip it, only event features read the default
        assertThat(event.has("amt")).isFalse();
        assertThat(event.get("amt")).isNull();
        assertThat(event.has("online")).isFalse();
        assertThat(decoder.decode(with(record, "is_fraud", null)))
                .isEqualTo(new DecodeResult.Rejected("missing_field", "field 'is_fraud' is missing"));
    }

    private static String reason(DecodeResult result) {
        return result instanceof DecodeResult.Rejected rejected ? rejected.reason() : "accepted";
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
