package io.tessera.batch.check;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads keys' merged vectors from the query API, as an application does: {@code GET .../entities/{key}?at=T}. */
final class ApiVectors {

    /** The API answered something other than a reading or "unknown key". */
    static final class ApiException extends IllegalStateException {
        private final String code;

        ApiException(String code, String message) {
            super(message);
            this.code = code;
        }

        /** The API's error code, e.g. {@code before_horizon}. */
        String code() {
            return code;
        }
    }

    /**
     * One answer of the API.
     *
     * @param features by name; a value the API gives as null (none, e.g. an event column of a read by key) is NaN, as the
     *     feature layout assembles it
     * @param realtimeRows the key's realtime rows the answer merged: more than zero when speed events are in it
     */
    record ApiVector(String key, long readTime, long viewVersion, Map<String, Double> features, int realtimeRows) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String base;

    /** @param apiUrl the API's base URL, e.g. {@code http://127.0.0.1:8090} */
    ApiVectors(String apiUrl, String pipeline) {
        this.base = (apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl) + "/v1/pipelines/"
                + URLEncoder.encode(pipeline, StandardCharsets.UTF_8) + "/entities/";
    }

    /** The key's vector as of {@code readTime}; empty if the API does not know the key (404). */
    Optional<ApiVector> read(String key, long readTime) throws IOException, InterruptedException {
        URI uri = URI.create(base + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20") + "?at="
                + Instant.ofEpochMilli(readTime));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() == 404 && "unknown_entity".equals(body.path("error").path("code").asText())) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new ApiException(body.path("error").path("code").asText("http_" + response.statusCode()), "GET " + uri + " answered " + response.statusCode() + ": " + body.path("error").path("message").asText(response.body()));
        }
        Map<String, Double> features = new LinkedHashMap<>();
        body.path("features").fields().forEachRemaining(f -> features.put(f.getKey(), f.getValue().isNull() ? Double.NaN : f.getValue().asDouble()));
        JsonNode provenance = body.path("provenance");
        return Optional.of(new ApiVector(key, readTime, provenance.path("view_version").asLong(), features,
                provenance.path("layers").path("realtime_rows").asInt()));
    }
}
