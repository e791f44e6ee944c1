package io.tessera.featurestore.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A SHA-256 of the canonical rendering of something parsed: what run keys, publication lookups and
 * compatibility checks compare, so that an edit that changes no meaning (a comment, a re-indented line,
 * quotes around a value) changes no fingerprint.
 *
 * @param hex 64 lower-case hex digits
 */
public record Fingerprint(String hex) {

    public Fingerprint {
        Objects.requireNonNull(hex, "hex");
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a fingerprint is 64 lower-case hex digits, got '" + hex + "'");
        }
    }

    /** The fingerprint of a canonical text (UTF-8). */
    public static Fingerprint of(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return new Fingerprint(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The first 16 hex digits: enough to tell specs apart in a run key or a log line. */
    public String shortHex() {
        return hex.substring(0, 16);
    }

    @Override
    public String toString() {
        return hex;
    }
}
