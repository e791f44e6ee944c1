package io.tessera.serving.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * The query API's routes, each named by its path in {@code /openapi.json} (the name its metrics carry).
 * A request is matched on its path's segments, each decoded after the split (so {@code %2F} in a key is
 * part of the key), with no regular expression on the way.
 */
enum ApiRoute {
    ENTITY("GET", "/v1/pipelines/{pipeline}/entities/{key}"),
    SCORE("POST", "/v1/pipelines/{pipeline}/entities/{key}"),
    BATCH_GET("POST", "/v1/pipelines/{pipeline}/entities:batchGet"),
    PIPELINE("GET", "/v1/pipelines/{pipeline}"),
    PIPELINES("GET", "/v1/pipelines"),
    LIVE("GET", "/health/live"),
    READY("GET", "/health/ready"),
    METRICS("GET", "/metrics"),
    OPENAPI("GET", "/openapi.json");

    static final String SCORE_SUFFIX = ":score";

    private final String method;
    private final String path;

    ApiRoute(String method, String path) {
        this.method = method;
        this.path = path;
    }

    /** The route's path as {@code /openapi.json} names it. */
    String path() {
        return path;
    }

    /** A request's route and the values of its path's parameters ({@code null} where the route has none). */
    record Match(ApiRoute route, String pipeline, String key) {
    }

    /**
     * The route of {@code method} on {@code rawPath} (the path as sent, without its query).
     *
     * @throws ApiError 404 if no route has this path, 405 if routes have it for other methods, 400 if a
     *     segment's percent-encoding is broken
     */
    static Match match(String method, String rawPath) {
        List<String> segments = segments(rawPath);
        Match match = byPath(method, segments);
        if (match == null) {
            throw ApiError.notFound("no_route", "no route " + method + " " + rawPath + " (see /openapi.json)");
        }
        if (!match.route().method.equals(method)) {
            throw ApiError.methodNotAllowed(match.route().method, method + " is not allowed on " + rawPath + " (" + match.route().method + " is)");
        }
        return match;
    }

    /** The route with this path for {@code method} if there is one, else any route with this path, else null. */
    private static Match byPath(String method, List<String> s) {
        int n = s.size();
        if (n == 1) {
            return s.get(0).equals("metrics") ? new Match(METRICS, null, null) : s.get(0).equals("openapi.json") ? new Match(OPENAPI, null, null) : null;
        }
        if (n == 2 && s.get(0).equals("health")) {
            return s.get(1).equals("live") ? new Match(LIVE, null, null) : s.get(1).equals("ready") ? new Match(READY, null, null) : null;
        }
        if (n < 2 || !s.get(0).equals("v1") || !s.get(1).equals("pipelines")) {
            return null;
        }
        return switch (n) {
            case 2 -> new Match(PIPELINES, null, null);
            case 3 -> new Match(PIPELINE, s.get(2), null);
            case 4 -> s.get(3).equals("entities:batchGet") ? new Match(BATCH_GET, s.get(2), null) : null;
            case 5 -> s.get(3).equals("entities") ? entity(method, s.get(2), s.get(4)) : null;
            default -> null;
        };
    }

    /** {@code <key>:score} is the score route (POST), any other key the entity's (GET). */
    private static Match entity(String method, String pipeline, String key) {
        if (key.endsWith(SCORE_SUFFIX)) {
            return new Match(SCORE, pipeline, key.substring(0, key.length() - SCORE_SUFFIX.length()));
        }
        if (method.equals("POST")) {
            throw ApiError.notFound("no_route", "POST on an entity is <key>" + SCORE_SUFFIX + ", not '" + key + "'");
        }
        return new Match(ENTITY, pipeline, key);
    }

    /** The path's segments, decoded; one trailing slash is ignored. */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        int end = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.length() - 1 : rawPath.length();
        int from = rawPath.startsWith("/") ? 1 : 0;
        while (from <= end) {
            int slash = rawPath.indexOf('/', from);
            int to = slash < 0 || slash > end ? end : slash;
            segments.add(decode(rawPath.substring(from, to)));
            from = to + 1;
        }
        return segments;
    }

    /** A segment's percent-encoding decoded; unlike a query, a path keeps its {@code +}. */
    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return QueryStringDecoder.decodeComponent(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("malformed_path", "the path segment '" + segment + "' is not percent-encoded: " + e.getMessage());
        }
    }
}
