package io.tessera.serving.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;

import io.tessera.featurestore.contract.ChallengerAssignment;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.Provenance;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.event.DecodeResult;
import io.tessera.featurestore.event.Event;
import io.tessera.featurestore.event.EventDecoder;
import io.tessera.featurestore.model.ChampionLoader;
import io.tessera.featurestore.model.Scorer;
import io.tessera.featurestore.spec.AggregationSpec;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.serving.store.EntityReading;
import io.tessera.serving.store.ServedView;
import io.tessera.serving.store.ServingReader;
import io.tessera.serving.store.ServingStore;

/** One pipeline behind the API: its spec, its serving tables, and the champion (and challenger) it scores candidates with. */
public final class PipelineService implements AutoCloseable {

    private static final int MAX_KEY_LENGTH = 512;

    private final PipelineSpec spec;
    private final ServingStore store;
    private final ServingReader reader;
    private final EventDecoder decoder;
    /** Portable models by checksum: loaded and verified once, swapped as soon as a view names another. */
    private final ChampionLoader champions = new ChampionLoader();

    public PipelineService(PipelineSpec spec, ServingStore store) {
        this(spec, store, 0);
    }

    /** @param batchCacheBytes decoded batch rows kept, by their encoded size ({@link ServingStore#reader(PipelineSpec, long)}) */
    public PipelineService(PipelineSpec spec, ServingStore store, long batchCacheBytes) {
        this.spec = spec;
        this.store = store;
        this.reader = store.reader(spec, batchCacheBytes);
        this.decoder = EventDecoder.of(spec);
    }

    String name() {
        return spec.name();
    }

    /**
     * The key's merged answer at {@code readTime}, without blocking: it completes on the thread that completes the read.
     *
     * @param realtimeRows told how many realtime rows a known key's answer merged
     */
    CompletableFuture<Object> entity(String key, long readTime, IntConsumer realtimeRows) {
        return reader.readAsync(validKey(key), readTime, null).thenApply(found -> {
            EntityReading reading = found.orElseThrow(this::noView);
            if (reading.unknown()) {
                throw ApiError.notFound("unknown_entity", spec.entity().name() + " '" + key + "' is in neither the batch nor the realtime view of "
                        + spec.name());
            }
            realtimeRows.accept(reading.realtimeRows());
            return Json.reading(spec.name(), reading);
        });
    }

    /**
     * A candidate event scored as the speed layer would score it, nothing written: features as of its
     * time from the merged views plus its own fields, the champion's score and, if a challenger is set
     * and scores this key, the challenger's. {@code score} is the one the key is served (the A/B
     * challenger's for the keys of its share), {@code scores} every one computed with its role. A
     * challenger that cannot score (unreadable, another layout) leaves the champion served and says why.
     *
     * <p>The key's read holds no thread; the answer is built on {@code scoring}, which may block (a model
     * loaded and verified at its first use, the challenger's periodic read).
     *
     * @throws ApiError at once for a malformed key or event
     */
    CompletableFuture<Map<String, Object>> score(String key, Map<String, Object> fields, Executor scoring) {
        validKey(key);
        DecodeResult decoded = decoder.decode(fields);
        if (decoded instanceof DecodeResult.Rejected rejected) {
            throw ApiError.badRequest(rejected.reason(), rejected.detail());   // the reasons of quarantine
        }
        Event event = ((DecodeResult.Accepted) decoded).event();
        String eventKey = event.text(spec.entity().key());
        if (!eventKey.equals(key)) {
            throw ApiError.badRequest("entity_mismatch", "the event's " + spec.entity().key() + " is '" + eventKey + "', the path's '" + key + "'");
        }
        return reader.readAsync(key, event.time(), event).thenApplyAsync(found -> scored(key, event, found.orElseThrow(this::noView)), scoring);
    }

    private Map<String, Object> scored(String key, Event event, EntityReading reading) {
        PublishedView view = reading.view().view();
        Optional<ChallengerAssignment> challenger = reader.currentChallenger();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pipeline", spec.name());
        body.put("entity", key);
        body.put("event_time", Json.time(event.time()));
        body.put("features", Json.features(reading.featureNames(), reading.vector()));
        if (view.champion().isPresent()) {
            double[] vector = reading.vector();
            ChampionRef champion = view.champion().get();
            Map<String, Object> championScore = candidateScore(scorer(view).score(vector), champion, Provenance.Role.CHAMPION);
            Map<String, Object> served = championScore;
            List<Map<String, Object>> scores = new ArrayList<>(List.of(championScore));
            Map<String, Object> challengerBody = null;
            if (challenger.isPresent()) {
                ChallengerAssignment assigned = challenger.get();
                challengerBody = Json.challenger(assigned, key);
                if (assigned.scores(key)) {
                    try {
                        double value = champions.scorer(assigned.model(), Provenance.Role.CHALLENGER, view).score(vector);
                        Map<String, Object> challengerScore = candidateScore(value, assigned.model(), Provenance.Role.CHALLENGER);
                        scores.add(challengerScore);
                        if (assigned.served()) {
                            served = challengerScore;
                        }
                    } catch (ChampionLoader.ChampionUnavailableException e) {
                        challengerBody.put("unavailable", Map.of("code", e.code(), "message", e.getMessage()));
                    }
                }
            }
            for (Map<String, Object> score : scores) {
                score.put("served", score == served);
            }
            if (challengerBody != null) {
                challengerBody.put("served_to_this_key", served != championScore);
            }
            body.put("score", served);
            body.put("scores", scores);
            body.put("challenger", challengerBody);
        } else {
            body.put("score", null);
            body.put("score_missing", view.scoresWithheld().orElse("no model passed the promotion gate yet"));
            body.put("scores", List.of());
            body.put("challenger", challenger.map(c -> (Object) Json.challenger(c, key)).orElse(null));
        }
        body.put("provenance", Json.view(view));
        return body;
    }

    private static Map<String, Object> candidateScore(double value, ChampionRef model, Provenance.Role role) {
        Map<String, Object> score = new LinkedHashMap<>();
        score.put("value", value);
        score.put("model", Map.of("name", model.name(), "version", model.version(), "role", role.name().toLowerCase(Locale.ROOT)));
        return score;
    }

    /** Spec summary, the view serving and its champion, and how old the view's data is. */
    Map<String, Object> summary(long now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", spec.name());
        body.put("entity", Map.of("name", spec.entity().name(), "key", spec.entity().key()));
        body.put("aggregations", spec.features().aggregations().stream().map(AggregationSpec::name).toList());
        Optional<ServedView> current = reader.currentView();
        body.put("view", current.map(v -> (Object) Json.view(v.view())).orElse(null));
        body.put("features", current.map(v -> (Object) v.view().featureNames()).orElse(List.of()));
        body.put("view_age_ms", current.map(v -> (Object) (now - v.view().snapshot().committedAt())).orElse(null));
        return body;
    }

    private Scorer scorer(PublishedView view) {
        try {
            return champions.scorer(view);
        } catch (ChampionLoader.ChampionUnavailableException e) {
            throw ApiError.unavailable(e.code(), e.getMessage());
        }
    }

    private ApiError noView() {
        return ApiError.unavailable("no_view", "no batch view of " + spec.name() + " is published yet: run platform retrain");
    }

    private static String validKey(String key) {
        if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH || hasControlCharacter(key)) {
            throw ApiError.badRequest("malformed_key", "an entity key is 1 to " + MAX_KEY_LENGTH + " characters without control characters");
        }
        return key;
    }

    private static boolean hasControlCharacter(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Cassandra answers a trivial query. */
    boolean ready() {
        return store.ping();
    }

    @Override
    public void close() {
        store.close();
    }
}
