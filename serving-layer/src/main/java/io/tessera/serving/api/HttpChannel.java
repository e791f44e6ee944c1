package io.tessera.serving.api;

import java.util.concurrent.CompletableFuture;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * One client connection: each request is matched to its route and handed to the API, and its answer is
 * written when it completes (on the thread that completes it, often the Cassandra driver's), after the
 * answers of the requests before it on the connection, so a client that pipelines gets them in order.
 */
final class HttpChannel extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** What the channel asks of the API. */
    interface Api {
        /** The answer to a matched request; may throw, or complete exceptionally, with what {@link #failed} turns into an answer. */
        CompletableFuture<Answer> answer(ApiRoute.Match match, FullHttpRequest request, QueryStringDecoder uri);

        /** The error answer to a failure of the request {@code method} {@code uri}. */
        Answer failed(Throwable failure, String method, String uri);

        /** A request answered: its route ({@code null} if none matched), method, status and nanoseconds from receipt to write. */
        void answered(ApiRoute route, String method, int status, long nanos);
    }

    private final Api api;
    /** Completes when the latest request's answer is written; touched on the channel's event loop only. */
    private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);

    HttpChannel(Api api) {
        this.api = api;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long start = System.nanoTime();
        String method = request.method().name();
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        ApiRoute route = null;
        CompletableFuture<Answer> answer;
        try {
            if (request.decoderResult().isFailure()) {
                throw ApiError.badRequest("malformed_request", "the request is not HTTP/1.1 this server reads: " + request.decoderResult().cause().getMessage());
            }
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            ApiRoute.Match match = ApiRoute.match(method, uri.rawPath());
            route = match.route();
            answer = api.answer(match, request, uri);   // reads the body before it returns: the request is released then
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        ApiRoute matched = route;
        String target = request.uri();
        CompletableFuture<Answer> own = answer.handle((done, failure) -> done != null ? done : api.failed(failure, method, target));
        written = written.exceptionally(bug -> null).thenCombine(own, (previous, done) -> {
            ctx.writeAndFlush(response(done, keepAlive));
            api.answered(matched, method, done.status(), System.nanoTime() - start);
            return null;
        });
    }

    static FullHttpResponse response(Answer answer, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()),
                Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType()).setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        if (answer.allow() != null) {
            response.headers().set(HttpHeaderNames.ALLOW, answer.allow());
        }
        HttpUtil.setKeepAlive(response, keepAlive);   // HttpServerKeepAliveHandler closes the connection after an answer that says close
        return response;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();   // the connection's I/O failed (a reset, mostly): nothing to answer on it
    }
}
