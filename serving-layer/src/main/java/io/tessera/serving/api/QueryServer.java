package io.tessera.serving.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tessera.featurestore.merge.BeforeHorizonException;
import io.tessera.featurestore.tile.PlanMismatchException;
import io.tessera.serving.schema.SchemaMismatchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API over the merged views: HTTP/JSON on Javalin, every route described by
 * {@code /openapi.json}. Errors are JSON bodies with a status, a stable code and a message; Cassandra
 * unreachable is a 503 within the driver's request timeout, never a hang nor a stack trace.
 */
public final class QueryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MIN_COMPRESSED_BYTES = 16 * 1024;

    /**
     * @param host the address to bind; anything but loopback requires API keys
     * @param port 0 for any free port
     * @param maxBatch keys in one {@code batchGet}
     * @param maxBodyBytes the largest request body read
     */
    public record Settings(String host, int port, int maxBatch, int maxBodyBytes) {
        public static Settings local(int port) {
            return new Settings("127.0.0.1", port, 100, 64 * 1024);
        }
    }

    private final Settings settings;
    private final Map<String, PipelineService> pipelines = new LinkedHashMap<>();
    private final ApiKeys keys;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExecutorService reads = Executors.newFixedThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "batch-get");
        thread.setDaemon(true);
        return thread;
    });
    private final Timer keyReads = Timer.builder("tessera_cassandra_read").description("one key's merged read: Cassandra rows and the merge")
            .publishPercentileHistogram().register(metrics);
    private final Map<RequestKind, Timer> requestTimers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Javalin app;
    /** Read once: a build without it fails at start, not at its first request. */
    private final byte[] openApi = openApi();

    private QueryServer(Settings settings, List<PipelineService> services, ApiKeys keys) {
        this.settings = settings;
        this.keys = keys;
        services.forEach(service -> pipelines.put(service.name(), service));
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.jetty.defaultHost = settings.host();
            config.jetty.defaultPort = settings.port();
            // not before/after handlers: each wildcard handler is a lazy regular expression run over the whole path of every request
            config.requestLogger.http(this::measure);
            config.http.customCompression(compression());
        });
        routes();
    }

    /**
     * Starts serving.
     *
     * @throws IllegalArgumentException if it would bind beyond loopback without API keys
     */
    public static QueryServer start(Settings settings, List<PipelineService> pipelines, ApiKeys keys) {
        if (!keys.enabled() && !isLoopback(settings.host())) {
            throw new IllegalArgumentException("refusing to serve on " + settings.host() + " without API keys: bind 127.0.0.1, or give"
                    + " --api-keys with at least one key (platform serve keys add)");
        }
        QueryServer server = new QueryServer(settings, pipelines, keys);
        server.app.start();
        return server;
    }

    public int port() {
        return app.port();
    }

    private void routes() {
        // the routes by key first: Javalin tries a method's routes in order, one regular expression each
        app.get("/v1/pipelines/{pipeline}/entities/{key}", ctx -> {
            keys.require(ctx.header(ApiKeys.HEADER), ApiKeys.Scope.READ);
            long now = System.currentTimeMillis();
            json(ctx, timedRead(() -> pipeline(ctx).entity(ctx.pathParam("key"), at(ctx.queryParam("at"), now))));
        });
        app.post("/v1/pipelines/{pipeline}/entities:batchGet", ctx -> {
            keys.require(ctx.header(ApiKeys.HEADER), ApiKeys.Scope.READ);
            json(ctx, batchGet(pipeline(ctx), body(ctx)));
        });
        app.post("/v1/pipelines/{pipeline}/entities/{key}", ctx -> {
            String path = ctx.pathParam("key");
            if (!path.endsWith(":score")) {
                throw ApiError.notFound("no_route", "POST " + ctx.path() + ": the only POST on an entity is <key>:score");
            }
            keys.require(ctx.header(ApiKeys.HEADER), ApiKeys.Scope.SCORE);
            String key = path.substring(0, path.length() - ":score".length());
            JsonNode body = body(ctx);
            if (!body.isObject()) {
                throw ApiError.badRequest("malformed_event", "the body must be the candidate event: a JSON object of its fields");
            }
            Map<String, Object> fields = JSON.convertValue(body, JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
            json(ctx, timedRead(() -> pipeline(ctx).score(key, fields)));
        });
        app.get("/health/live", ctx -> json(ctx, Map.of("status", "live")));
        app.get("/health/ready", ctx -> {
            boolean ready = pipelines.values().stream().allMatch(PipelineService::ready);
            json(ctx.status(ready ? 200 : 503), Map.of("status", ready ? "ready" : "cassandra_unavailable"));
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        app.get("/openapi.json", ctx -> ctx.contentType(ContentType.APPLICATION_JSON).result(openApi));
        app.get("/v1/pipelines", ctx -> {
            keys.require(ctx.header(ApiKeys.HEADER), ApiKeys.Scope.READ);
            long now = System.currentTimeMillis();
            json(ctx, Map.of("pipelines", pipelines.values().stream().map(p -> p.summary(now)).toList()));
        });
        app.get("/v1/pipelines/{pipeline}", ctx -> {
            keys.require(ctx.header(ApiKeys.HEADER), ApiKeys.Scope.READ);
            json(ctx, pipeline(ctx).summary(System.currentTimeMillis()));
        });
        app.exception(ApiError.class, (e, ctx) -> json(ctx.status(e.status()), Json.error(e)));
        app.exception(HttpResponseException.class, (e, ctx) -> {
            ApiError error = switch (e.getStatus()) {
                case 404 -> ApiError.notFound("no_route", "no route " + ctx.method() + " " + ctx.path() + " (see /openapi.json)");
                case 405 -> ApiError.of(405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path());
                case 413 -> ApiError.badRequest("body_too_large", "the request body is over " + settings.maxBodyBytes() + " bytes");
                default -> ApiError.of(e.getStatus(), "http_" + e.getStatus(), e.getMessage());
            };
            json(ctx.status(error.status()), Json.error(error));
        });
        app.exception(Exception.class, (e, ctx) -> {
            ApiError error = translate(e);
            if (error.status() == 500) {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            }
            json(ctx.status(error.status()), Json.error(error));
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                json(ctx, Json.error(ApiError.notFound("no_route", "no route " + ctx.method() + " " + ctx.path() + " (see /openapi.json)")));
            }
        });
    }

    /**
     * Gzip for answers of {@value #MIN_COMPRESSED_BYTES} bytes or more (a batchGet of a few dozen keys), not for
     * one key's answer (2 to 3 KB): Javalin's default (1,500 bytes) gzipped every single-key answer to clients
     * that accept it, as most do, for more CPU than the bytes saved are worth between an application and its
     * feature API.
     */
    private static CompressionStrategy compression() {
        CompressionStrategy strategy = new CompressionStrategy(null, new Gzip());
        strategy.setDefaultMinSizeForCompression(MIN_COMPRESSED_BYTES);
        return strategy;
    }

    /**
     * A JSON answer, encoded straight to bytes: Javalin's {@code ctx.json} builds a string and encodes it
     * again, a copy of every body.
     */
    private static void json(Context ctx, Object body) {
        try {
            ctx.contentType(ContentType.APPLICATION_JSON).result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer of plain maps, lists and values did not serialize", e);   // a bug
        }
    }

    /** What an exception means to a client: the input's fault (4xx), or the stores' (503); anything else a 500 without internals. */
    private static ApiError translate(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ApiError api) {
            return api;
        }
        if (cause instanceof BeforeHorizonException horizon) {
            return ApiError.badRequest("before_horizon", horizon.getMessage());
        }
        if (cause instanceof com.datastax.oss.driver.api.core.DriverException) {
            return ApiError.unavailable("cassandra_unavailable", "the serving tables are not answering (" + cause.getClass().getSimpleName()
                    + "): retry later");
        }
        if (cause instanceof PlanMismatchException || cause instanceof SchemaMismatchException) {
            return ApiError.unavailable("view_not_servable", cause.getMessage());
        }
        // a bug: the body says nothing of the internals, the log has the stack trace
        return ApiError.of(500, "internal", "the server failed on this request; the failure is logged");
    }

    private interface Read {
        Map<String, Object> run();
    }

    private Map<String, Object> timedRead(Read read) {
        return keyReads.record(read::run);
    }

    private Map<String, Object> batchGet(PipelineService pipeline, JsonNode body) throws InterruptedException {
        JsonNode keyList = body.get("keys");
        if (keyList == null || !keyList.isArray() || keyList.isEmpty()) {
            throw ApiError.badRequest("malformed_batch", "the body must be {\"keys\": [\"key\", ...], \"at\": optional instant}");
        }
        if (keyList.size() > settings.maxBatch()) {
            throw ApiError.badRequest("batch_too_large", keyList.size() + " keys in one batchGet, at most " + settings.maxBatch());
        }
        long now = System.currentTimeMillis();
        JsonNode atNode = body.get("at");
        long at = at(atNode == null || atNode.isNull() ? null : atNode.asText(), now);
        List<Future<Map<String, Object>>> pending = new ArrayList<>();
        for (JsonNode key : keyList) {
            if (!key.isTextual()) {
                throw ApiError.badRequest("malformed_key", "keys are strings, got " + key);
            }
            String text = key.textValue();
            pending.add(reads.submit(() -> {
                try {
                    return timedRead(() -> pipeline.entity(text, at));
                } catch (ApiError e) {
                    if (e.status() == 503) {
                        throw e;
                    }
                    Map<String, Object> failed = new LinkedHashMap<>();
                    failed.put("entity", text);
                    failed.putAll(Json.error(e));
                    return failed;
                }
            }));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        try {
            for (Future<Map<String, Object>> result : pending) {
                results.add(result.get());
            }
        } catch (ExecutionException e) {
            pending.forEach(f -> f.cancel(true));
            throw translate(e);
        }
        return Map.of("results", results);
    }

    private PipelineService pipeline(Context ctx) {
        String name = ctx.pathParam("pipeline");
        PipelineService pipeline = pipelines.get(name);
        if (pipeline == null) {
            throw ApiError.notFound("unknown_pipeline", "no pipeline '" + name + "' (this server serves " + pipelines.keySet() + ")");
        }
        return pipeline;
    }

    private JsonNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > settings.maxBodyBytes()) {
            throw ApiError.badRequest("body_too_large", "the request body is over " + settings.maxBodyBytes() + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            if (node == null || node.isMissingNode()) {
                throw ApiError.badRequest("malformed_json", "the request body is empty: expected JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("malformed_json", "the request body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** {@code ?at=}: an ISO-8601 instant or epoch milliseconds; absent means now. */
    static long at(String text, long now) {
        if (text == null || text.isBlank()) {
            return now;
        }
        try {
            return digits(text) && text.length() < 19 ? Long.parseLong(text) : Instant.parse(text).toEpochMilli();
        } catch (DateTimeException | NumberFormatException e) {
            throw ApiError.badRequest("malformed_at", "'" + text + "' is not an instant: give ISO-8601 (2013-07-07T00:00:00Z) or epoch milliseconds");
        }
    }

    private static boolean digits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Every request's route, method, status and time, after its answer is written. */
    private void measure(Context ctx, Float millis) {
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (RuntimeException e) {
            route = "unmatched";
        }
        requestTimer(route, ctx.method().name(), ctx.statusCode()).record((long) (millis * 1_000_000.0), TimeUnit.NANOSECONDS);
        if (ctx.statusCode() >= 400) {
            metrics.counter("tessera_api_errors", "route", route, "status", Integer.toString(ctx.statusCode())).increment();
        }
    }

    /**
     * The timer of a route, method and status, registered once: building a meter's id (tags sorted,
     * validated) and finding it in the registry on every request costs more than recording.
     */
    private Timer requestTimer(String route, String method, int status) {
        return requestTimers.computeIfAbsent(new RequestKind(route, method, status), kind -> Timer.builder("tessera_api_request")
                .description("requests by route, method and status").tag("route", route).tag("method", method)
                .tag("status", Integer.toString(status)).publishPercentileHistogram().register(metrics));
    }

    private record RequestKind(String route, String method, int status) {
    }

    private static byte[] openApi() {
        try (InputStream in = QueryServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read openapi.json from the build", e);
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void close() {
        app.stop();
        reads.shutdownNow();
        pipelines.values().forEach(PipelineService::close);
    }
}
