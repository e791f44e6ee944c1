package io.tessera.featurestore.spec;

import java.util.Optional;

/**
 * What the model learns.
 *
 * @param positive for binary classification, a CEL condition that makes the label 1; without it the field
 *     itself is the label (0/1, or false/true)
 */
public record LabelSpec(String field, Optional<String> positive) {
}
