package io.tessera.serving.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.tessera.featurestore.merge.BeforeHorizonException;
import io.tessera.featurestore.tile.PlanMismatchException;
import io.tessera.serving.schema.SchemaMismatchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API over the merged views: HTTP/JSON on Netty's HTTP codec, every route described by
 * {@code /openapi.json}. A read by key never holds a thread: the request is matched on the event loop,
 * the key's two partitions are read asynchronously, and the answer is merged, encoded and written from
 * the driver's callback (docs/architecture.md, "The query API's threads"). Errors are JSON bodies with a
 * status, a stable code and a message; Cassandra unreachable is a 503 within the driver's request
 * timeout, never a hang nor a stack trace.
 */
public final class QueryServer implements AutoCloseable, HttpChannel.Api {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Gzip for answers of this many bytes or more (a batchGet of a few dozen keys), not for one key's answer
     * (2 to 3 KB): compressing every single-key answer costs more CPU than the bytes saved are worth
     * between an application and its feature API.
     */
    private static final int MIN_COMPRESSED_BYTES = 16 * 1024;
    /** A connection with no request in flight for this long is closed, as Jetty's default idle timeout does. */
    private static final int IDLE_SECONDS = 30;

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
    /** What may block (a summary's view read, a :score's answer with its model loaded, the readiness ping): never on an event loop. */
    private final ExecutorService blocking = Executors.newFixedThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "api-blocking");
        thread.setDaemon(true);
        return thread;
    });
    private final Timer keyReads = Timer.builder("tessera_cassandra_read").description("one key's merged read: Cassandra rows and the merge")
            .publishPercentileHistogram().register(metrics);
    /*
     * A key gets a realtime row per checkpoint epoch it had events in until a batch view covers them, and a
     * read merges them all: what this shows growing between publications is what a read costs.
     */
    private final DistributionSummary realtimeRows = DistributionSummary.builder("tessera_api_realtime_rows")
            .description("realtime rows merged into one key's answer").publishPercentileHistogram().minimumExpectedValue(1.0)
            .maximumExpectedValue(100_000.0).register(metrics);
    private final Map<RequestKind, Timer> requestTimers = new ConcurrentHashMap<>();
    /** Read once: a build without it fails at start, not at its first request. */
    private final byte[] openApi = openApi();
    private final EventLoopGroup loops = new NioEventLoopGroup(Runtime.getRuntime().availableProcessors());
    private Channel listening;

    private QueryServer(Settings settings, List<PipelineService> services, ApiKeys keys) {
        this.settings = settings;
        this.keys = keys;
        services.forEach(service -> pipelines.put(service.name(), service));
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
        server.bind();
        return server;
    }

    private void bind() {
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS), new HttpServerCodec(),
                                new HttpServerKeepAliveHandler(), new HttpContentCompressor(MIN_COMPRESSED_BYTES, StandardCompressionOptions.gzip()),
                                new BoundedBody(settings.maxBodyBytes(), QueryServer.this), new HttpChannel(QueryServer.this));
                    }
                });
        try {
            listening = bootstrap.bind(new InetSocketAddress(settings.host(), settings.port())).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + settings.host() + ":" + settings.port(), e);
        } catch (RuntimeException e) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) listening.localAddress()).getPort();
    }

    @Override
    public CompletableFuture<Answer> answer(ApiRoute.Match match, FullHttpRequest request, QueryStringDecoder uri) {
        String apiKey = request.headers().get(ApiKeys.HEADER);
        return switch (match.route()) {
            case ENTITY -> {
                keys.require(apiKey, ApiKeys.Scope.READ);
                long at = at(parameter(uri, "at"), System.currentTimeMillis());
                yield timed(pipeline(match).entity(match.key(), at, realtimeRows::record)).thenApply(Answer::json);
            }
            case BATCH_GET -> {
                keys.require(apiKey, ApiKeys.Scope.READ);
                yield batchGet(pipeline(match), body(request)).thenApply(Answer::json);
            }
            case SCORE -> {
                keys.require(apiKey, ApiKeys.Scope.SCORE);
                JsonNode body = body(request);
                if (!body.isObject()) {
                    throw ApiError.badRequest("malformed_event", "the body must be the candidate event: a JSON object of its fields");
                }
                Map<String, Object> fields = JSON.convertValue(body, JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
                yield timed(pipeline(match).score(match.key(), fields, blocking)).thenApply(Answer::json);
            }
            case PIPELINES -> {
                keys.require(apiKey, ApiKeys.Scope.READ);
                long now = System.currentTimeMillis();
                yield offLoop(() -> Answer.json(Map.of("pipelines", pipelines.values().stream().map(p -> p.summary(now)).toList())));
            }
            case PIPELINE -> {
                keys.require(apiKey, ApiKeys.Scope.READ);
                PipelineService pipeline = pipeline(match);
                yield offLoop(() -> Answer.json(pipeline.summary(System.currentTimeMillis())));
            }
            case LIVE -> CompletableFuture.completedFuture(Answer.json(Map.of("status", "live")));
            case READY -> offLoop(() -> {
                boolean ready = pipelines.values().stream().allMatch(PipelineService::ready);
                return Answer.json(ready ? 200 : 503, Map.of("status", ready ? "ready" : "cassandra_unavailable"));
            });
            case METRICS -> offLoop(() -> new Answer(200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            case OPENAPI -> CompletableFuture.completedFuture(new Answer(200, Answer.JSON_TYPE, openApi));
        };
    }

    @Override
    public Answer failed(Throwable failure, String method, String uri) {
        ApiError error = translate(failure);
        if (error.status() == 500) {
            LOG.error("{} {} failed", method, uri, failure);
        }
        return Answer.error(error);
    }

    @Override
    public void answered(ApiRoute route, String method, int status, long nanos) {
        String name = route == null ? "unmatched" : route.path();
        requestTimer(name, method, status).record(nanos, TimeUnit.NANOSECONDS);
        if (status >= 400) {
            metrics.counter("tessera_api_errors", "route", name, "status", Integer.toString(status)).increment();
        }
    }

    private CompletableFuture<Answer> offLoop(Supplier<Answer> work) {
        return CompletableFuture.supplyAsync(work, blocking);
    }

    /** What an exception means to a client: the input's fault (4xx), or the stores' (503); anything else a 500 without internals. */
    private static ApiError translate(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
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

    /** One key's read, timed from its start to its merged answer. */
    private <T> CompletableFuture<T> timed(CompletableFuture<T> read) {
        long start = System.nanoTime();
        return read.whenComplete((done, failure) -> keyReads.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    /**
     * The keys read concurrently (every read is asynchronous); a key unknown or malformed is an error in its
     * place of the results, a store that does not answer fails the whole batch with its 503.
     */
    private CompletableFuture<Map<String, Object>> batchGet(PipelineService pipeline, JsonNode body) {
        JsonNode keyList = body.get("keys");
        if (keyList == null || !keyList.isArray() || keyList.isEmpty()) {
            throw ApiError.badRequest("malformed_batch", "the body must be {\"keys\": [\"key\", ...], \"at\": optional instant}");
        }
        if (keyList.size() > settings.maxBatch()) {
            throw ApiError.badRequest("batch_too_large", keyList.size() + " keys in one batchGet, at most " + settings.maxBatch());
        }
        JsonNode atNode = body.get("at");
        long at = at(atNode == null || atNode.isNull() ? null : atNode.asText(), System.currentTimeMillis());
        List<String> batch = new ArrayList<>();
        for (JsonNode key : keyList) {
            if (!key.isTextual()) {
                throw ApiError.badRequest("malformed_key", "keys are strings, got " + key);
            }
            batch.add(key.textValue());
        }
        List<CompletableFuture<Object>> reads = new ArrayList<>();
        for (String key : batch) {
            reads.add(timed(entityOrError(pipeline, key, at, realtimeRows::record)));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .thenApply(all -> Map.of("results", reads.stream().map(CompletableFuture::join).toList()));
    }

    private static CompletableFuture<Object> entityOrError(PipelineService pipeline, String key, long at, IntConsumer realtimeRows) {
        CompletableFuture<Object> read;
        try {
            read = pipeline.entity(key, at, realtimeRows);
        } catch (ApiError e) {
            read = CompletableFuture.failedFuture(e);
        }
        return read.handle((found, failure) -> {
            if (failure == null) {
                return found;
            }
            ApiError error = translate(failure);
            if (error.status() == 503 || error.status() == 500) {
                throw new CompletionException(failure);
            }
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("entity", key);
            failed.putAll(Json.error(error));
            return failed;
        });
    }

    private PipelineService pipeline(ApiRoute.Match match) {
        PipelineService pipeline = pipelines.get(match.pipeline());
        if (pipeline == null) {
            throw ApiError.notFound("unknown_pipeline", "no pipeline '" + match.pipeline() + "' (this server serves " + pipelines.keySet() + ")");
        }
        return pipeline;
    }

    private static JsonNode body(FullHttpRequest request) {
        try (InputStream in = new ByteBufInputStream(request.content())) {
            JsonNode node = JSON.readTree(in);
            if (node == null || node.isMissingNode()) {
                throw ApiError.badRequest("malformed_json", "the request body is empty: expected JSON");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiError.badRequest("malformed_json", "the request body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading a request body held in memory", e);   // a bug
        }
    }

    private static String parameter(QueryStringDecoder uri, String name) {
        try {
            List<String> values = uri.parameters().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("malformed_query", "the query string is not percent-encoded: " + e.getMessage());
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

    /**
     * A request body over the limit is a 400 with the API's error body (Netty's own answer is a bare 413),
     * counted like every answer: it never reaches {@link HttpChannel}.
     */
    private static final class BoundedBody extends HttpObjectAggregator {

        private final int maxBytes;
        private final HttpChannel.Api api;

        BoundedBody(int maxBytes, HttpChannel.Api api) {
            super(maxBytes);
            this.maxBytes = maxBytes;
            this.api = api;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            long start = System.nanoTime();
            // the rest of a body announced too large is skipped and the connection kept, unless it came whole
            boolean keepAlive = !(oversized instanceof FullHttpMessage) && HttpUtil.isKeepAlive(oversized);
            Answer answer = Answer.error(ApiError.badRequest("body_too_large", "the request body is over " + maxBytes + " bytes"));
            ctx.writeAndFlush(HttpChannel.response(answer, keepAlive));
            HttpRequest request = (HttpRequest) oversized;   // a server's codec decodes requests only
            api.answered(routeOf(request), request.method().name(), answer.status(), System.nanoTime() - start);
        }

        /** The route the oversized request was for, or null if none matches. */
        private static ApiRoute routeOf(HttpRequest request) {
            try {
                return ApiRoute.match(request.method().name(), new QueryStringDecoder(request.uri()).rawPath()).route();
            } catch (ApiError unmatched) {
                return null;
            }
        }
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
        if (listening != null) {
            listening.close().syncUninterruptibly();
        }
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        blocking.shutdownNow();
        pipelines.values().forEach(PipelineService::close);
    }
}
