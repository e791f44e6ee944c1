package io.tessera.jobs.replay;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.tessera.featurestore.event.RecordParser;
import io.tessera.featurestore.spec.PipelineSpec;

/**
 * Reads the entity key of one raw line, to key its Kafka record by: then one entity's events stay in
 * order on one partition. Parses with the feature-store's {@link RecordParser}, as every engine does, so
 * a line has the key here that the speed layer will read. Not thread-safe (the parser is not).
 */
final class EntityKeys {

    private final RecordParser parser;
    private final String keyField;

    /** @param csvHeader the file's column names (ignored for JSON) */
    EntityKeys(PipelineSpec spec, List<String> csvHeader) {
        this.parser = new RecordParser(spec.source().format(), csvHeader);
        this.keyField = spec.entity().key();
    }

    /** The line's key, or null when the line is malformed or has no key: it is still sent, for the speed layer to quarantine. */
    String keyOf(String line) {
        Map<String, Object> fields;
        try {
            fields = parser.parse(line);
        } catch (RecordParser.MalformedRecordException e) {
            return null;
        }
        Object value = fields.get(keyField);
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        // JSON numbers are read as BigDecimal when fractional: key by the digits as written, not 1E+3.
        return value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }
}
