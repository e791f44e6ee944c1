package io.tessera.batch.registry;

import java.util.Map;
import java.util.Optional;

import io.tessera.batch.publish.ControlChannel;
import io.tessera.featurestore.contract.ChallengerAssignment;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.ControlMessage;
import io.tessera.serving.store.ServedView;
import io.tessera.serving.store.ServingStore;

/**
 * Sets or clears a pipeline's challenger, in the manner of Iceberg's {@code PendingUpdate}: {@link #apply()}
 * validates and returns the change it would make, with no side effect; {@link #commit()} makes it, in this
 * order:
 * <ol>
 *   <li>the registry: one MERGE ({@link ModelRegistry#setChallenger}, {@link ModelRegistry#clearChallenger});</li>
 *   <li>serving: the change recorded under the next revision, checked in one lightweight transaction
 *       ({@link ServingStore#recordChallenger}); a layer that starts later reads it there;</li>
 *   <li>the control stream: the change announced, so the running speed layers apply it within seconds
 *       (the API reads serving again every second);</li>
 *   <li>the audit trail ({@link ModelRegistry#changes()}): {@code challenger_set} or {@code challenger_cleared}.</li>
 * </ol>
 * A failure after the first step leaves the layers as they were; running the command again completes it.
 */
public final class ChallengerUpdate {

    /** The challenger cannot be set as asked; nothing was changed. The message says what to do. */
    public static final class InvalidChallengerException extends IllegalArgumentException {
        InvalidChallengerException(String message) {
            super(message);
        }
    }

    /** Another change of the challenger was recorded in serving meanwhile; nothing of this one reached the layers. */
    public static final class ChallengerConflictException extends IllegalStateException {
        ChallengerConflictException(String message) {
            super(message);
        }
    }

    /** What to change: a challenger (version, mode, share), or none. */
    private record Request(Optional<Long> version, ChallengerAssignment.Mode mode, double share, String reason) {
    }

    private final String pipeline;
    private final ModelRegistry registry;
    private final ServingStore serving;
    private final ControlChannel control;
    private final Request request;

    private ChallengerUpdate(String pipeline, ModelRegistry registry, ServingStore serving, ControlChannel control, Request request) {
        this.pipeline = pipeline;
        this.registry = registry;
        this.serving = serving;
        this.control = control;
        this.request = request;
    }

    /** @param share the A/B share, in (0, 1]; 1 for a shadow challenger */
    public static ChallengerUpdate set(String pipeline, ModelRegistry registry, ServingStore serving, ControlChannel control, long version,
            ChallengerAssignment.Mode mode, double share, String reason) {
        return new ChallengerUpdate(pipeline, registry, serving, control, new Request(Optional.of(version), mode, share, reason));
    }

    public static ChallengerUpdate clear(String pipeline, ModelRegistry registry, ServingStore serving, ControlChannel control, String reason) {
        return new ChallengerUpdate(pipeline, registry, serving, control, new Request(Optional.empty(), null, 0, reason));
    }

    /**
     * The change this update would make, validated: the model is registered, is not the champion, its
     * artifact is the registered one and fits the layout of the view serving; the share is valid for the
     * mode. Empty for a clear when no challenger is set (nothing to do).
     *
     * @throws InvalidChallengerException naming what is wrong
     */
    public Optional<ControlMessage.ChallengerChange> apply() {
        long revision = serving.challenger().map(ControlMessage.ChallengerChange::revision).orElse(0L) + 1;
        long now = System.currentTimeMillis();
        if (request.version().isEmpty()) {
            boolean set = serving.challenger().flatMap(ControlMessage.ChallengerChange::assignment).isPresent()
                    || registry.challenger().isPresent();
            return set ? Optional.of(validated(() -> new ControlMessage.ChallengerCleared(pipeline, revision, request.reason(), now)))
                    : Optional.empty();
        }
        long version = request.version().get();
        RegisteredModel model = registry.byVersion(version).orElseThrow(() -> new InvalidChallengerException(registry.unknownVersion(version)));
        if (model.isChampion()) {
            throw new InvalidChallengerException("v" + version + " is the champion: a challenger is another model");
        }
        ChampionRef ref = ServingFit.ref(model);
        ServingFit.require(ref, serving.current(), "no batch view of " + pipeline + " is published yet: a challenger scores beside the champion"
                + " of a view (run platform retrain first)", InvalidChallengerException::new);
        return Optional.of(validated(() -> new ControlMessage.ChallengerSet(new ChallengerAssignment(pipeline, revision, ref, request.mode(),
                request.share(), request.reason(), now))));
    }

    /**
     * Applies the change: registry, serving, control stream.
     *
     * @return the change made; empty if there was nothing to do
     * @throws InvalidChallengerException if {@link #apply()} refuses it (nothing changed)
     * @throws ChallengerConflictException if another change was recorded in serving meanwhile
     */
    public Optional<ControlMessage.ChallengerChange> commit() {
        Optional<ControlMessage.ChallengerChange> change = apply();
        if (change.isEmpty()) {
            return change;
        }
        Optional<RegisteredModel> before = registry.challenger()
                .or(() -> ChampionUpdate.challengerVersion(serving).flatMap(registry::byVersion));   // promoted meanwhile: not in the registry
        Optional<RegisteredModel> after = change.get().assignment().map(set -> registry.byVersion(set.model().version()).orElseThrow());
        if (after.isPresent()) {
            registry.setChallenger(after.get());
        } else {
            registry.clearChallenger();
        }
        if (!serving.recordChallenger(change.get())) {
            throw new ChallengerConflictException("another change of " + pipeline + "'s challenger was recorded meanwhile (revision "
                    + change.get().revision() + " is taken): look at it, then run the command again");
        }
        control.send(change.get());
        registry.changes().append(ModelChange.now(after.isPresent() ? ModelChange.Action.CHALLENGER_SET : ModelChange.Action.CHALLENGER_CLEARED,
                before.map(RegisteredModel::version), after.map(RegisteredModel::version), request.reason(),
                change.get().assignment().map(ChallengerUpdate::detail), after.or(() -> before).map(RegisteredModel::metrics).orElse(Map.of()),
                serving.current().map(ServedView::version)));
        return change;
    }

    private static String detail(ChallengerAssignment assignment) {
        return assignment.mode() == ChallengerAssignment.Mode.SHADOW ? "shadow" : "ab " + assignment.share();
    }

    private interface Change {
        ControlMessage.ChallengerChange make();
    }

    /** The contract's own checks (share for the mode, reason) as this update's named failure. */
    private static ControlMessage.ChallengerChange validated(Change change) {
        try {
            return change.make();
        } catch (IllegalArgumentException e) {
            throw new InvalidChallengerException(e.getMessage());
        }
    }
}
