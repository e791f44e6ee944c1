package io.tessera.featurestore.contract;

/**
 * What producers and the speed layer agree on for a pipeline's source topic ({@code source.topic} of the
 * spec): one record per event, its value the record's text (a CSV line or a JSON object) in UTF-8, keyed
 * by the entity key so that one key's events stay in order on one partition.
 */
public final class SourceTopic {

    /**
     * Kafka record header naming a CSV value's columns: the header line of the file the record came from
     * (as {@code platform replay} sends it). Without it, the columns are the spec's fields in spec order,
     * then the timestamp field if it is not one of them.
     */
    public static final String CSV_HEADER = "tessera.csv.header";

    private SourceTopic() {
    }
}
