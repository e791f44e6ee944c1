package io.tessera.featurestore.spec;

import io.tessera.featurestore.time.TimestampFormat;

/** The field that carries event time, and how to read it. */
public record TimestampSpec(String field, TimestampFormat format) {
}
