package io.tessera.featurestore.spec;

/** How events are encoded on the topic and in ingested files. */
public enum SourceFormat {
    CSV("csv"),
    JSON("json");

    private final String specName;

    SourceFormat(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }
}
