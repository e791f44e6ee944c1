package io.tessera.serving.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tessera.featurestore.contract.ChallengerAssignment;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.contract.Score;
import io.tessera.serving.store.EntityReading;

/** How the API renders its answers: JSON objects with stable snake_case fields, times as ISO-8601. */
final class Json {

    private Json() {
    }

    static Map<String, Object> reading(String pipeline, EntityReading reading) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pipeline", pipeline);
        body.put("entity", reading.entity());
        body.put("read_at", time(reading.readTime()));
        body.put("features", features(reading.features()));
        body.put("score", reading.latestScore().map(Json::score).orElse(null));
        Map<String, Object> provenance = view(reading.view().view());
        provenance.put("newest_event_time", reading.newestEventTime().isPresent() ? time(reading.newestEventTime().getAsLong()) : null);
        Map<String, Object> layers = new LinkedHashMap<>();
        layers.put("batch", reading.inBatchView());
        layers.put("realtime_rows", reading.realtimeRows());
        provenance.put("layers", layers);
        body.put("provenance", provenance);
        // how old the newest event is at the read time: now - newest for a read of now
        body.put("freshness_ms", reading.newestEventTime().isPresent() ? reading.readTime() - reading.newestEventTime().getAsLong() : null);
        return body;
    }

    /** The batch view a value stands on: version, lake snapshot, cut, cutoff, champion. */
    static Map<String, Object> view(PublishedView view) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("view_version", view.viewVersion());
        body.put("snapshot_id", view.snapshot().id());
        body.put("snapshot_committed_at", time(view.snapshot().committedAt()));
        Map<String, Object> cut = new LinkedHashMap<>();
        cut.put("generation", view.cut().generation());
        cut.put("checkpoint", view.cut().checkpoint());
        body.put("cut", cut);
        body.put("cutoff", time(view.cutoff()));
        body.put("champion", view.champion().map(Json::champion).orElse(null));
        body.put("scores_withheld", view.scoresWithheld().orElse(null));
        body.put("published_at", time(view.publishedAt()));
        return body;
    }

    static Map<String, Object> score(Score score) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", score.value());
        Provenance p = score.provenance();
        Provenance.ModelRef model = p.model().orElseThrow();
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("name", model.name());
        ref.put("version", model.version());
        ref.put("role", model.role().label());
        body.put("model", ref);
        body.put("layer", p.layer().name().toLowerCase(java.util.Locale.ROOT));
        body.put("event_time", time(p.eventTime()));
        body.put("view_version", p.viewVersion());
        body.put("snapshot_id", p.snapshot().id());
        return body;
    }

    /** Feature values; a value a read by key has none of (an event column) is null, never JSON's non-standard NaN. */
    static Map<String, Object> features(Map<String, Double> features) {
        Map<String, Object> out = new LinkedHashMap<>();
        features.forEach((name, value) -> out.put(name, value == null || value.isNaN() || value.isInfinite() ? null : value));
        return out;
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

    private static Map<String, Object> champion(ChampionRef champion) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", champion.name());
        body.put("version", champion.version());
        return body;
    }

    static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
