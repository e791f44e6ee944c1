package io.tessera.featurestore.contract;

import java.util.Objects;

/**
 * A challenger model scored beside the champion, and which keys it scores. Set and cleared by
 * {@code platform models challenger}, announced by {@link ControlMessage.ChallengerSet}, and stored in
 * serving so that a layer that starts later knows it too.
 *
 * <p>Which arm is served, decided here once for every layer:
 * <ul>
 *   <li>{@link Mode#SHADOW}: the challenger scores every key and its scores are only recorded (the lake's
 *       {@code scores}, the API's {@code :score} answer); the champion's score is the one served.</li>
 *   <li>{@link Mode#AB}: the keys in {@code share} ({@link TrafficSplit}, salted with the challenger's
 *       version) are served the challenger's score, with provenance role {@code challenger}; the champion
 *       still scores them and that score is recorded beside it. The other keys see the champion only.</li>
 * </ul>
 *
 * @param revision orders the changes of a pipeline's challenger (sets and clears alike), from 1: a layer
 *     applies a change only if it is newer than the one it holds, so a replayed message changes nothing
 * @param model the challenger's portable artifact, referenced and verified like a champion's
 * @param share for {@code AB}, the fraction of keys in the challenger's arm, in (0, 1]; for {@code SHADOW}
 *     always 1 (every key)
 * @param reason why it was set, for the audit trail
 * @param assignedAt UTC epoch milliseconds
 */
public record ChallengerAssignment(String pipeline, long revision, ChampionRef model, Mode mode, double share, String reason,
        long assignedAt) {

    /** How a challenger takes part in serving. */
    public enum Mode {
        /** Every key scored, nothing served. */
        SHADOW,
        /** A share of keys served the challenger's score. */
        AB
    }

    public ChallengerAssignment {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reason, "reason");
        if (revision < 1) {
            throw new IllegalArgumentException("challenger revisions start at 1, got " + revision);
        }
        if (!model.name().equals(pipeline)) {
            throw new IllegalArgumentException("challenger " + model + " is a model of pipeline " + model.name() + ", not of " + pipeline);
        }
        if (mode == Mode.AB && !(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("an A/B challenger's share is a fraction of keys in (0, 1], got " + share);
        }
        if (mode == Mode.SHADOW && share != 1) {
            throw new IllegalArgumentException("a shadow challenger scores every key: its share is 1, got " + share
                    + " (for a share of keys, use mode ab)");
        }
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a challenger is set with a reason");
        }
    }

    /** A shadow challenger: every key scored, nothing served. */
    public static ChallengerAssignment shadow(String pipeline, long revision, ChampionRef model, String reason, long assignedAt) {
        return new ChallengerAssignment(pipeline, revision, model, Mode.SHADOW, 1, reason, assignedAt);
    }

    /** Whether the challenger's score is the one served to the keys it scores ({@code AB}) or only recorded ({@code SHADOW}). */
    public boolean served() {
        return mode == Mode.AB;
    }

    /**
     * Whether the challenger scores {@code key}: every key in shadow, the keys of its share in A/B. For a
     * per-event path, take {@link #threshold()} once and call {@link TrafficSplit#inShare}.
     */
    public boolean scores(String key) {
        return mode == Mode.SHADOW || TrafficSplit.inShare(key, model.version(), threshold());
    }

    /** {@link TrafficSplit#threshold} of the share (2^32 in shadow: every key). */
    public long threshold() {
        return TrafficSplit.threshold(share);
    }

    @Override
    public String toString() {
        return "challenger " + model + (mode == Mode.SHADOW ? " in shadow" : " serving " + share + " of keys (A/B)") + ", revision " + revision;
    }
}
