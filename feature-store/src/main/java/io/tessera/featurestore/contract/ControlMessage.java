package io.tessera.featurestore.contract;

/**
 * A message on a pipeline's control stream ({@code <pipeline>.control} in Kafka): how the batch layer
 * tells the speed and serving layers what changed. Written and parsed by {@link ControlMessageCodec}
 * only, versioned by its {@code format} field.
 */
public sealed interface ControlMessage permits ControlMessage.ViewPublished {

    /** The Kafka topic of a pipeline's control stream. */
    static String topic(String pipeline) {
        return pipeline + ".control";
    }

    String pipeline();

    /**
     * The message's Kafka key: a re-sent message (a retrain re-run after a crash) has the same key, so a
     * consumer can tell it is the same one.
     */
    String key();

    /**
     * A batch view was published: drop the realtime partials its cut covers, and score with its champion
     * (when it has one; a view without scores changes no model).
     */
    record ViewPublished(PublishedView view) implements ControlMessage {

        @Override
        public String pipeline() {
            return view.pipeline();
        }

        @Override
        public String key() {
            return "view-" + view.viewVersion();
        }
    }
}
