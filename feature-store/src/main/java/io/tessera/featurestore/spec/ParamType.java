package io.tessera.featurestore.spec;

/** The Java type Spark MLlib expects for a training parameter, so the batch layer can set it as is. */
public enum ParamType {
    /** {@link Integer}. */
    INT("an integer"),
    /** {@link Long}. */
    LONG("an integer"),
    /** {@link Double}; whole numbers are accepted. */
    DOUBLE("a number"),
    /** {@link String}. */
    STRING("text"),
    /** {@link Boolean}. */
    BOOLEAN("true or false");

    private final String description;

    ParamType(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
