package io.tessera.serving.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * What a request is answered: a status and a body of one content type.
 *
 * @param allow a 405's {@code Allow} header, else null
 */
record Answer(int status, String contentType, byte[] body, String allow) {

    Answer(int status, String contentType, byte[] body) {
        this(status, contentType, body, null);
    }

    static final String JSON_TYPE = "application/json";
    /** Doubles by Schubfach (Jackson's fast writer): a key's answer holds dozens, and {@code Double.toString} was a tenth of its encoding. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    /** A 200 with a JSON body of plain maps, lists and values. */
    static Answer json(Object body) {
        return json(200, body);
    }

    static Answer json(int status, Object body) {
        return new Answer(status, JSON_TYPE, bytes(body));
    }

    static Answer error(ApiError error) {
        return new Answer(error.status(), JSON_TYPE, bytes(Json.error(error)), error.allow().orElse(null));
    }

    private static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer of plain maps, lists and values did not serialize", e);   // a bug
        }
    }
}
