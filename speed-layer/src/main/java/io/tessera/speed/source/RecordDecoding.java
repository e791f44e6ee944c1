package io.tessera.speed.source;

import io.tessera.featurestore.event.DecodeResult;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventDecoder;
import io.tessera.featurestore.event.RecordParser;
import io.tessera.featurestore.expr.ExpressionEvaluationException;
import io.tessera.featurestore.lake.QuarantinedRecord;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.spec.SourceFormat;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.featurestore.tile.Selection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw record to an event with the same code and the same quarantine reasons as {@code platform ingest}
 * ({@link RecordParser}, {@link EventDecoder}, {@link FeaturePlan#select}, as {@link FeaturePlan#checked} does). A CSV record's columns are named by its Kafka header
 * {@link io.tessera.featurestore.contract.SourceTopic#CSV_HEADER}, or else are the spec's fields in spec order (the timestamp
 * field last if it is not one of them). Not thread-safe; one per task.
 */
public final class RecordDecoding {

    /** Quarantine reason of a record whose bytes are not valid UTF-8. */
    public static final String ENCODING = DecodeResult.ENCODING;
    /** More distinct CSV headers than this are not cached (a producer sending a new header per record). */
    private static final int MAX_HEADERS = 64;

    private final PipelineSpec spec;
    private final RecordParser specOrder;
    private final Map<String, RecordParser> byHeader = new HashMap<>();
    private final EventDecoder decoder;
    private final FeaturePlan plan;
    private final String entityKey;

    public RecordDecoding(PipelineSpec spec) {
        this.spec = spec;
        List<String> columns = new ArrayList<>(spec.source().fields().keySet());
        String timestamp = spec.source().timestamp().field();
        if (!columns.contains(timestamp)) {
            columns.add(timestamp);
        }
        this.specOrder = new RecordParser(spec.source().format(), columns);
        this.decoder = EventDecoder.of(spec);
        this.plan = FeaturePlan.of(spec);
        this.entityKey = spec.entity().key();
    }

    /** What a record decodes to: an event, or why not. */
    public sealed interface Outcome permits Valid, Invalid {
    }

    /** @param selection the aggregations the event enters, its {@code where}s evaluated once here */
    public record Valid(String entity, Event event, Selection selection) implements Outcome {
    }

    public record Invalid(String reason, String detail) implements Outcome {
    }

    public Outcome decode(String value, String csvHeader) {
        Map<String, Object> raw;
        try {
            raw = parser(csvHeader).parse(value);
        } catch (RecordParser.MalformedRecordException e) {
            return new Invalid(RecordParser.MALFORMED, e.getMessage());
        }
        DecodeResult result = decoder.decode(raw);
        if (result instanceof DecodeResult.Rejected rejected) {
            return new Invalid(rejected.reason(), rejected.detail());
        }
        Event event = ((DecodeResult.Accepted) result).event();
        Selection selection;
        try {
            selection = plan.select(event);
        } catch (ExpressionEvaluationException e) {
            DecodeResult.Rejected rejected = FeaturePlan.expressionError(e);
            return new Invalid(rejected.reason(), rejected.detail());
        }
        return new Valid(event.text(entityKey), event, selection);
    }

    private RecordParser parser(String csvHeader) {
        if (csvHeader == null || spec.source().format() != SourceFormat.CSV) {
            return specOrder;
        }
        RecordParser parser = byHeader.get(csvHeader);
        if (parser == null) {
            parser = new RecordParser(SourceFormat.CSV, RecordParser.csvHeader(csvHeader));
            if (byHeader.size() < MAX_HEADERS) {
                byHeader.put(csvHeader, parser);
            }
        }
        return parser;
    }

    public static QuarantinedRecord quarantined(SourceRecord record, String reason, String detail, long now) {
        return new QuarantinedRecord(record.value, reason, detail, record.source, now);
    }
}
