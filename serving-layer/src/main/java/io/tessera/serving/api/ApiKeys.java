package io.tessera.serving.api;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.tessera.featurestore.spec.Fingerprint;

/**
 * The API keys the server accepts, each with its scopes, read from a properties file in the
 * configuration home that holds only their SHA-256: {@code <sha256 of the key> = <name> <scope,scope>}.
 * A key is shown once, when it is made ({@link #newKey}); the file never holds it.
 */
public final class ApiKeys {

    /** What a key may do. */
    public enum Scope { READ, SCORE }

    /** The header a client sends its key in. */
    public static final String HEADER = "X-API-Key";

    private record Grant(String name, Set<Scope> scopes) {
    }

    private final Map<String, Grant> byHash;

    private ApiKeys(Map<String, Grant> byHash) {
        this.byHash = Map.copyOf(byHash);
    }

    /** No keys: only for a server bound to loopback, where every request is allowed. */
    public static ApiKeys none() {
        return new ApiKeys(Map.of());
    }

    /** @throws IllegalArgumentException naming the line that is not {@code hash = name scopes} */
    public static ApiKeys load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Map<String, Grant> grants = new HashMap<>();
        for (String hash : properties.stringPropertyNames()) {
            String[] parts = properties.getProperty(hash).trim().split("\\s+");
            if (!hash.matches("[0-9a-f]{64}") || parts.length != 2) {
                throw new IllegalArgumentException(file + ": '" + hash + "' is not '<sha256 hex> = <name> <scope,scope>'");
            }
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String scope : parts[1].split(",")) {
                try {
                    scopes.add(Scope.valueOf(scope.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": key " + parts[0] + " has an unknown scope '" + scope + "' (read, score)");
                }
            }
            grants.put(hash, new Grant(parts[0], scopes));
        }
        return new ApiKeys(grants);
    }

    /** A new random key, and the line that grants it (to append to the keys file). */
    public static String[] newKey(String name, Set<Scope> scopes) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String key = "tsk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String line = hash(key) + " = " + name + " " + String.join(",", scopes.stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
        return new String[] {key, line};
    }

    public boolean enabled() {
        return !byHash.isEmpty();
    }

    /**
     * @throws ApiError 401 without a known key, 403 if the key lacks the scope
     */
    public void require(String presented, Scope scope) {
        if (!enabled()) {
            return;
        }
        if (presented == null || presented.isBlank()) {
            throw ApiError.unauthorized("this server requires an API key in the " + HEADER + " header");
        }
        Grant grant = byHash.get(hash(presented.trim()));
        if (grant == null) {
            throw ApiError.unauthorized("unknown API key");
        }
        if (!grant.scopes().contains(scope)) {
            throw ApiError.forbidden("API key '" + grant.name() + "' has no " + scope.name().toLowerCase(Locale.ROOT) + " scope");
        }
    }

    private static String hash(String key) {
        return Fingerprint.of(key).hex();
    }
}
