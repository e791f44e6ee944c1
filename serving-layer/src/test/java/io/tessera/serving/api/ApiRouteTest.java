package io.tessera.serving.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiRouteTest {

    @Test
    void matchesEveryRouteOfTheOpenApiDocumentByItsSegments() {
        assertThat(ApiRoute.match("GET", "/v1/pipelines/fraud/entities/4111")).isEqualTo(new ApiRoute.Match(ApiRoute.ENTITY, "fraud", "4111"));
        assertThat(ApiRoute.match("POST", "/v1/pipelines/fraud/entities/4111:score")).isEqualTo(new ApiRoute.Match(ApiRoute.SCORE, "fraud", "4111"));
        assertThat(ApiRoute.match("POST", "/v1/pipelines/fraud/entities:batchGet")).isEqualTo(new ApiRoute.Match(ApiRoute.BATCH_GET, "fraud", null));
        assertThat(ApiRoute.match("GET", "/v1/pipelines/fraud")).isEqualTo(new ApiRoute.Match(ApiRoute.PIPELINE, "fraud", null));
        assertThat(ApiRoute.match("GET", "/v1/pipelines/")).isEqualTo(new ApiRoute.Match(ApiRoute.PIPELINES, null, null));
        assertThat(ApiRoute.match("GET", "/health/ready").route()).isEqualTo(ApiRoute.READY);
        assertThat(ApiRoute.match("GET", "/health/live").route()).isEqualTo(ApiRoute.LIVE);
        assertThat(ApiRoute.match("GET", "/metrics").route()).isEqualTo(ApiRoute.METRICS);
        assertThat(ApiRoute.match("GET", "/openapi.json").route()).isEqualTo(ApiRoute.OPENAPI);
    }

    @Test
    void decodesEachSegmentAfterTheSplitAndKeepsAPlus() {
        assertThat(ApiRoute.match("GET", "/v1/pipelines/fraud/entities/a%2Fb").key()).isEqualTo("a/b");
        assertThat(ApiRoute.match("GET", "/v1/pipelines/fraud/entities/a+b%20c").key()).isEqualTo("a+b c");
        assertThat(ApiRoute.match("GET", "/v1/pipelines/fraud/entities/%C3%A9").key()).isEqualTo("\u00e9");
        assertThat(ApiRoute.match("GET", "/v1/pipelines/fraud/entities/%09tab").key()).isEqualTo("\ttab");
    }

    @Test
    void unknownPathsAreA404WrongMethodsA405AndBrokenEncodingsA400() {
        assertError(() -> ApiRoute.match("GET", "/v2/anything"), 404, "no_route");
        assertError(() -> ApiRoute.match("GET", "/v1/pipelines/fraud/entities"), 404, "no_route");
        assertError(() -> ApiRoute.match("GET", "/v1//fraud"), 404, "no_route");
        assertError(() -> ApiRoute.match("GET", "/"), 404, "no_route");
        assertError(() -> ApiRoute.match("POST", "/v1/pipelines/fraud/entities/4111:rate"), 404, "no_route");
        assertError(() -> ApiRoute.match("DELETE", "/v1/pipelines/fraud/entities/4111"), 405, "method_not_allowed");
        assertError(() -> ApiRoute.match("GET", "/v1/pipelines/fraud/entities:batchGet"), 405, "method_not_allowed");
        assertError(() -> ApiRoute.match("PUT", "/metrics"), 405, "method_not_allowed");
        assertError(() -> ApiRoute.match("GET", "/v1/pipelines/fraud/entities/%zz"), 400, "malformed_path");
    }

    @Test
    void a405NamesTheMethodThePathTakesInItsAllowHeader() {
        assertThat(allowOf(() -> ApiRoute.match("DELETE", "/v1/pipelines/fraud/entities/4111"))).isEqualTo("GET");
        assertThat(allowOf(() -> ApiRoute.match("GET", "/v1/pipelines/fraud/entities/4111:score"))).isEqualTo("POST");
        assertThat(allowOf(() -> ApiRoute.match("GET", "/v1/pipelines/fraud/entities:batchGet"))).isEqualTo("POST");
        ApiError error = ApiError.methodNotAllowed("POST", "GET is not allowed");
        assertThat(HttpChannel.response(Answer.error(error), true).headers().get("Allow")).isEqualTo("POST");
        assertThat(HttpChannel.response(Answer.error(ApiError.notFound("no_route", "none")), true).headers().contains("Allow")).isFalse();
    }

    private static String allowOf(Runnable call) {
        try {
            call.run();
        } catch (ApiError e) {
            assertThat(e.status()).isEqualTo(405);
            return e.allow().orElseThrow();
        }
        throw new AssertionError("no 405");
    }

    private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
        });
    }
}
