package io.tessera.featurestore.spec;

/**
 * What the features are about.
 *
 * @param name the entity's name in the domain ({@code card})
 * @param key the source field that identifies it ({@code cc_num})
 */
public record EntitySpec(String name, String key) {
}
