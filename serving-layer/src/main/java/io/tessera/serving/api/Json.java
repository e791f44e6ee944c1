package io.tessera.serving.api;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;

import io.tessera.featurestore.contract.ChallengerAssignment;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.Score;
import io.tessera.serving.store.EntityReading;

/**
 * How the API renders its answers: JSON objects with stable snake_case fields, times as ISO-8601. The
 * answer by key, on every read, is written field by field by Jackson's generator (no maps built for it:
 * they were a quarter of the bytes a read allocated); the rarer answers are maps, which may hold those
 * written values.
 */
final class Json {

    private Json() {
    }

    /** A value Jackson writes by calling it, in place, wherever it is (a map's value, a list's element, the answer itself). */
    @FunctionalInterface
    interface Written {
        void write(JsonGenerator out) throws IOException;
    }

    private static Object written(Written writer) {
        return new JsonSerializable.Base() {
            @Override
            public void serialize(JsonGenerator out, SerializerProvider provider) throws IOException {
                writer.write(out);
            }

            @Override
            public void serializeWithType(JsonGenerator out, SerializerProvider provider, TypeSerializer types) throws IOException {
                writer.write(out);
            }
        };
    }

    /** A key's answer: its features, latest score, the view it stands on with the layers it came from, and its freshness. */
    static Object reading(String pipeline, EntityReading reading) {
        return written(out -> {
            out.writeStartObject();
            out.writeStringField("pipeline", pipeline);
            out.writeStringField("entity", reading.entity());
            out.writeStringField("read_at", time(reading.readTime()));
            out.writeFieldName("features");
            writeFeatures(out, reading.featureNames(), reading.vector());
            out.writeFieldName("score");
            if (reading.latestScore().isPresent()) {
                writeScore(out, reading.latestScore().get());
            } else {
                out.writeNull();
            }
            out.writeObjectFieldStart("provenance");
            writeViewFields(out, reading.view().view());
            OptionalLong newest = reading.newestEventTime();
            out.writeFieldName("newest_event_time");
            if (newest.isPresent()) {
                out.writeString(time(newest.getAsLong()));
            } else {
                out.writeNull();
            }
            out.writeObjectFieldStart("layers");
            out.writeBooleanField("batch", reading.inBatchView());
            out.writeNumberField("realtime_rows", reading.realtimeRows());
            out.writeEndObject();
            out.writeEndObject();
            // how old the newest event is at the read time: now - newest for a read of now
            out.writeFieldName("freshness_ms");
            if (newest.isPresent()) {
                out.writeNumber(reading.readTime() - newest.getAsLong());
            } else {
                out.writeNull();
            }
            out.writeEndObject();
        });
    }

    /** The batch view a value stands on: version, lake snapshot, cut, cutoff, champion. */
    static Object view(PublishedView view) {
        return written(out -> {
            out.writeStartObject();
            writeViewFields(out, view);
            out.writeEndObject();
        });
    }

    private static void writeViewFields(JsonGenerator out, PublishedView view) throws IOException {
        out.writeNumberField("view_version", view.viewVersion());
        out.writeNumberField("snapshot_id", view.snapshot().id());
        out.writeStringField("snapshot_committed_at", time(view.snapshot().committedAt()));
        out.writeObjectFieldStart("cut");
        out.writeNumberField("generation", view.cut().generation());
        out.writeNumberField("checkpoint", view.cut().checkpoint());
        out.writeEndObject();
        out.writeStringField("cutoff", time(view.cutoff()));
        out.writeFieldName("champion");
        if (view.champion().isPresent()) {
            out.writeStartObject();
            out.writeStringField("name", view.champion().get().name());
            out.writeNumberField("version", view.champion().get().version());
            out.writeEndObject();
        } else {
            out.writeNull();
        }
        out.writeStringField("scores_withheld", view.scoresWithheld().orElse(null));
        out.writeStringField("published_at", time(view.publishedAt()));
    }

    private static void writeScore(JsonGenerator out, Score score) throws IOException {
        Provenance p = score.provenance();
        Provenance.ModelRef model = p.model().orElseThrow();
        out.writeStartObject();
        out.writeNumberField("value", score.value());
        out.writeObjectFieldStart("model");
        out.writeStringField("name", model.name());
        out.writeNumberField("version", model.version());
        out.writeStringField("role", model.role().label());
        out.writeEndObject();
        out.writeStringField("layer", p.layer().name().toLowerCase(Locale.ROOT));
        out.writeStringField("event_time", time(p.eventTime()));
        out.writeNumberField("view_version", p.viewVersion());
        out.writeNumberField("snapshot_id", p.snapshot().id());
        out.writeEndObject();
    }

    /** Feature values by name; a value a read by key has none of (an event column) is null, never JSON's non-standard NaN. */
    static Object features(List<String> names, double[] values) {
        return written(out -> writeFeatures(out, names, values));
    }

    private static void writeFeatures(JsonGenerator out, List<String> names, double[] values) throws IOException {
        out.writeStartObject();
        for (int i = 0; i < values.length; i++) {
            out.writeFieldName(names.get(i));
            if (Double.isFinite(values[i])) {
                out.writeNumber(values[i]);
            } else {
                out.writeNull();
            }
        }
        out.writeEndObject();
    }

    static Map<String, Object> error(ApiError error) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("status", error.status());
        inner.put("code", error.code());
        inner.put("message", error.getMessage());
        return Map.of("error", inner);
    }

    /** The challenger set, and whether it scores {@code key} (shadow: every key; A/B: the keys of its share). */
    static Map<String, Object> challenger(ChallengerAssignment challenger, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", challenger.model().name());
        body.put("version", challenger.model().version());
        body.put("mode", challenger.mode().name().toLowerCase(java.util.Locale.ROOT));
        body.put("share", challenger.share());
        body.put("scores_this_key", challenger.scores(key));
        body.put("revision", challenger.revision());
        return body;
    }

    static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
