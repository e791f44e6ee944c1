package io.tessera.serving.api;

/**
 * A request the API answers with an error body ({@code {"error": {"status", "code", "message"}}}), never
 * a stack trace. The codes are stable, for clients and dashboards.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    /** The methods the path takes, for a 405's {@code Allow} header; null otherwise. */
    private final String allow;

    private ApiError(int status, String code, String message) {
        this(status, code, message, null);
    }

    private ApiError(int status, String code, String message, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.allow = allow;
    }

    public static ApiError of(int status, String code, String message) {
        return new ApiError(status, code, message);
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message);
    }

    public static ApiError notFound(String code, String message) {
        return new ApiError(404, code, message);
    }

    /** A 405: the path has a route, for {@code allow} only. */
    public static ApiError methodNotAllowed(String allow, String message) {
        return new ApiError(405, "method_not_allowed", message, allow);
    }

    public static ApiError unavailable(String code, String message) {
        return new ApiError(503, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The methods a 405's path takes, if this is one. */
    public java.util.Optional<String> allow() {
        return java.util.Optional.ofNullable(allow);
    }
}
