package io.tessera.jobs.replay;

/** The spec's topic does not exist, and the replay was not asked to create it. */
public final class MissingTopicException extends IllegalStateException {

    private static final long serialVersionUID = 1L;
    private final String topic;

    MissingTopicException(String topic, String kafkaBootstrap) {
        super("topic '" + topic + "' does not exist on Kafka at " + kafkaBootstrap);
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }
}
