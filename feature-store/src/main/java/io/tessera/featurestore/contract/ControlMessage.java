package io.tessera.featurestore.contract;

import java.util.Objects;
import java.util.Optional;

/**
 * A message on a pipeline's control stream ({@code <pipeline>.control} in Kafka): how the batch layer
 * tells the speed and serving layers what changed. Written and parsed by {@link ControlMessageCodec}
 * only, versioned by its {@code format} field.
 */
public sealed interface ControlMessage permits ControlMessage.ViewPublished, ControlMessage.ChallengerChange {

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

    /**
     * A change of the pipeline's challenger. Changes are ordered by {@link #revision()}; a consumer keeps
     * the newest it has seen and ignores older ones (a replay of the control stream, a message that
     * arrives after serving told a freshly started layer about a newer change).
     */
    sealed interface ChallengerChange extends ControlMessage permits ChallengerSet, ChallengerCleared {

        long revision();

        /** The challenger after this change; empty once cleared. */
        Optional<ChallengerAssignment> assignment();

        @Override
        default String key() {
            return "challenger-" + revision();
        }
    }

    /** A challenger is scored beside the champion from now on, replacing any earlier one. */
    record ChallengerSet(ChallengerAssignment challenger) implements ChallengerChange {

        public ChallengerSet {
            Objects.requireNonNull(challenger, "challenger");
        }

        @Override
        public String pipeline() {
            return challenger.pipeline();
        }

        @Override
        public long revision() {
            return challenger.revision();
        }

        @Override
        public Optional<ChallengerAssignment> assignment() {
            return Optional.of(challenger);
        }
    }

    /**
     * The challenger is no longer scored; the champion alone scores and is served.
     *
     * @param clearedAt UTC epoch milliseconds
     */
    record ChallengerCleared(String pipeline, long revision, String reason, long clearedAt) implements ChallengerChange {

        public ChallengerCleared {
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(reason, "reason");
            if (revision < 1) {
                throw new IllegalArgumentException("challenger revisions start at 1, got " + revision);
            }
            if (reason.isBlank()) {
                throw new IllegalArgumentException("a challenger is cleared with a reason");
            }
        }

        @Override
        public Optional<ChallengerAssignment> assignment() {
            return Optional.empty();
        }
    }
}
