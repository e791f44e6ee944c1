package io.tessera.serving.schema;

import java.util.List;
import java.util.Objects;

/**
 * One step of the serving schema: idempotent CQL statements ({@code IF NOT EXISTS}), applied once and
 * recorded in {@code schema_migrations} with a checksum, so an edited migration is noticed rather than
 * silently skipped. {@code {ks}} in a statement stands for the pipeline's keyspace.
 */
public record Migration(int version, String description, List<String> statements) {

    public Migration {
        Objects.requireNonNull(description, "description");
        statements = List.copyOf(statements);
        if (version < 1 || statements.isEmpty()) {
            throw new IllegalArgumentException("a migration has a version >= 1 and at least one statement");
        }
    }

    public List<String> statementsFor(String keyspace) {
        return statements.stream().map(s -> s.replace("{ks}", keyspace)).toList();
    }

    /** A SHA-256 of the statements, as applied. */
    public String checksum() {
        return io.tessera.featurestore.spec.Fingerprint.of(String.join("\n", statements)).shortHex();
    }
}
