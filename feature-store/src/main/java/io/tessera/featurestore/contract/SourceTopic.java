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

    /**
     * The speed layer's Kafka consumer group on a pipeline's topic. It commits its offsets when a checkpoint
     * completes, so they say how far the lake and the realtime view have got; a start without Flink state
     * begins there.
     */
    public static String speedConsumerGroup(String pipeline) {
        return "tessera-speed-" + pipeline;
    }

    private SourceTopic() {
    }
}
