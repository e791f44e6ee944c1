package io.tessera.featurestore.spec;

/** How the merged view is exposed: {@code view} names the Cassandra table and the Trino view. */
public record ServingSpec(String view) {
}
