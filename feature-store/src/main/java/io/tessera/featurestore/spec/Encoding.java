package io.tessera.featurestore.spec;

/** How an event feature enters the vector. */
public enum Encoding {
    /** The field's value as a double (numeric and boolean fields). */
    RAW("raw"),
    /**
     * One column per category of a string field, 1.0 for the event's category and 0.0 elsewhere; a value
     * outside a learned vocabulary sets its {@code __other__} column. The vocabulary is fixed by the spec ({@code categories}) or
     * learned at training time and stored in the model artifact, so every layer expands it the same way.
     */
    ONE_HOT("one_hot");

    private final String specName;

    Encoding(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }
}
