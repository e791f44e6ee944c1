package io.tessera.featurestore.event;

import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import io.tessera.featurestore.spec.SourceFormat;

/**
 * Splits one raw record (a CSV line under a known header, or a JSON object) into field name to value, for
 * {@link EventDecoder}; every engine parses records with this class, so a record means the same
 * everywhere. A record that is not well-formed CSV or JSON yields a {@link MalformedRecordException} with
 * the reason ({@link #MALFORMED} in quarantine); nothing is skipped silently. Not thread-safe: one per
 * task.
 */
public final class RecordParser implements Serializable {

    /** Quarantine reason of a record that is not well-formed in the source format. */
    public static final String MALFORMED = "malformed";

    private static final long serialVersionUID = 1L;
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private final SourceFormat format;
    private final List<String> header;
    private transient ObjectReader csv;
    private transient ObjectMapper json;

    /** @param header the CSV columns in file order (ignored for JSON) */
    public RecordParser(SourceFormat format, List<String> header) {
        this.format = format;
        this.header = List.copyOf(header);
    }

    /** Parses the CSV header line itself into column names. */
    public static List<String> csvHeader(String line) {
        return new RecordParser(SourceFormat.CSV, List.of()).csvValues(line);
    }

    /** @throws MalformedRecordException if the record is not well-formed */
    public Map<String, Object> parse(String record) {
        return format == SourceFormat.CSV ? parseCsv(record) : parseJson(record);
    }

    private List<String> csvValues(String line) {
        if (csv == null) {
            // Without a schema each CSV row reads as an array of strings; the header is matched by position.
            csv = new CsvMapper().readerFor(String[].class).with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY);
        }
        try (MappingIterator<String[]> rows = csv.readValues(line)) {
            if (!rows.hasNext()) {
                throw new MalformedRecordException("not a CSV record: empty");
            }
            List<String> values = List.of(rows.next());
            if (rows.hasNext()) {
                throw new MalformedRecordException("not one CSV record: the line holds several");
            }
            return values;
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedRecordException malformed) {
                throw malformed;
            }
            throw new MalformedRecordException("not a CSV record: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private Map<String, Object> parseCsv(String line) {
        List<String> values = csvValues(line);
        if (values.size() != header.size()) {
            throw new MalformedRecordException("CSV record has " + values.size() + " columns, the header " + header.size());
        }
        Map<String, Object> fields = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            fields.put(header.get(i), values.get(i));
        }
        return fields;
    }

    private Map<String, Object> parseJson(String line) {
        try {
            if (json == null) {
                json = new ObjectMapper();
                json.enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
            }
            Map<String, Object> fields = json.readValue(line, JSON_OBJECT);
            if (fields == null) {
                throw new MalformedRecordException("not a JSON object: null");
            }
            return fields;
        } catch (IOException e) {
            throw new MalformedRecordException("not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The record is not well-formed in the source format. */
    public static final class MalformedRecordException extends RuntimeException {
        MalformedRecordException(String message) {
            super(message);
        }
    }
}
