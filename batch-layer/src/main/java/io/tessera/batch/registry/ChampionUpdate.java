package io.tessera.batch.registry;

import java.util.Optional;

import io.tessera.batch.publish.ControlChannel;
import io.tessera.batch.publish.PublishOutcome;
import io.tessera.featurestore.contract.ChampionRef;
import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.spec.Fingerprint;
import io.tessera.serving.store.ServedView;
import io.tessera.serving.store.ServingStore;

/**
 * Replaces the champion by another registered model ({@code platform models promote}) or by a former
 * champion ({@code platform models rollback}), in the manner of Iceberg's {@code PendingUpdate}:
 * {@link #apply()} validates and returns the change, with no side effect; {@link #commit()} makes it, in
 * this order:
 * <ol>
 *   <li>the registry: the new champion and the old one retired in one MERGE
 *       ({@link ModelRegistry#replaceChampion}), so readers never see two champions or none;</li>
 *   <li>serving: a newer version of the view serving, of the same lake snapshot and cutoff, scored by the
 *       new champion ({@link Rescoring}), switched atomically and announced on the control stream
 *       ({@code ViewPublished}). The running speed layers and the API already follow the newest view and
 *       score with its champion, within seconds, so no other message is needed;</li>
 *   <li>the audit trail: {@code promoted} or {@code rolled_back}, with the reason and the view published;</li>
 *   <li>when the new champion was the challenger: the challenger is cleared ({@link ChallengerUpdate#clear}:
 *       serving, control message, {@code challenger_cleared} in the audit trail), since a model is not
 *       scored beside itself.</li>
 * </ol>
 * A failure after the first step leaves the previous view serving with the previous champion's scores;
 * running the command again completes the change (a model that is the registry's champion but does not
 * score the view serving is not refused as "already the champion").
 */
public final class ChampionUpdate {

    /** The champion cannot be changed as asked; nothing was changed. The message says what to do. */
    public static final class InvalidChampionException extends IllegalArgumentException {
        InvalidChampionException(String message) {
            super(message);
        }
    }

    /**
     * Publishes a newer version of the view serving: the same snapshot and cutoff, every key scored by
     * {@code champion}, which fits the view's layout ({@link ServingFit}).
     */
    @FunctionalInterface
    public interface Rescoring {
        PublishOutcome rescore(PublishedView serving, RegisteredModel champion) throws Exception;
    }

    /**
     * A validated change.
     *
     * @param from the champion it replaces: the one scoring the view serving, else the registry's; empty if none
     * @param to the new champion
     * @param serving the view serving now, which the change re-publishes scored by {@code to}
     */
    public record Change(ModelChange.Action action, Optional<RegisteredModel> from, RegisteredModel to, PublishedView serving) {
    }

    /** What a committed change did. */
    public record Outcome(Change change, PublishOutcome publication, boolean challengerCleared) {
    }

    /**
     * Where a change of the champion is made.
     *
     * @param planFingerprint {@code FeaturePlan.fingerprint()} of the spec given: the view is recomputed with it
     */
    public record Scope(String pipeline, Fingerprint planFingerprint, ModelRegistry registry, ServingStore serving, ControlChannel control,
            Rescoring rescoring) {
    }

    private final Scope scope;
    private final ModelRegistry registry;
    private final ServingStore serving;
    private final ModelChange.Action action;
    private final Optional<Long> version;
    private final String reason;

    private ChampionUpdate(Scope scope, ModelChange.Action action, Optional<Long> version, String reason) {
        this.scope = scope;
        this.registry = scope.registry();
        this.serving = scope.serving();
        this.action = action;
        this.version = version;
        this.reason = reason;
    }

    /**
     * Makes registered model {@code version} the champion: any model that is not the champion, whatever
     * the gate said of it, as long as its artifact is the registered one and fits the view serving.
     */
    public static ChampionUpdate promote(Scope scope, long version, String reason) {
        return new ChampionUpdate(scope, ModelChange.Action.PROMOTED, Optional.of(version), reason);
    }

    /**
     * Makes a former champion the champion again: {@code version}, or by default the champion before the
     * current one (the {@code from} of the audit trail's newest change that made the current champion;
     * without such a row, the newest retired model).
     */
    public static ChampionUpdate rollback(Scope scope, Optional<Long> version, String reason) {
        return new ChampionUpdate(scope, ModelChange.Action.ROLLED_BACK, version, reason);
    }

    /**
     * The change this update would make, validated.
     *
     * @throws InvalidChampionException for a blank reason, an unknown version, the model already serving
     *     as champion, a rollback to a model that was never champion (or with no former champion), an
     *     artifact that is not the registered one or does not fit the view serving, no view published, or a
     *     spec whose features are not the view's
     */
    public Change apply() {
        if (reason == null || reason.isBlank()) {
            throw new InvalidChampionException("a change of the champion needs a reason, for the audit trail");
        }
        Optional<RegisteredModel> champion = registry.champion();
        Optional<ServedView> current = serving.current();
        Optional<Long> scoring = current.flatMap(view -> view.view().champion()).map(ChampionRef::version);
        long target = version.orElseGet(() -> formerChampion(champion));
        RegisteredModel model = registry.byVersion(target).orElseThrow(() -> new InvalidChampionException(registry.unknownVersion(target)));
        if (model.isChampion() && scoring.equals(Optional.of(target))) {
            throw new InvalidChampionException("v" + target + " is the champion already, and scores the view serving (v"
                    + current.get().version() + ")");
        }
        if (action == ModelChange.Action.ROLLED_BACK && !model.isChampion() && !RegisteredModel.RETIRED.equals(model.status())) {
            throw new InvalidChampionException("v" + target + " was never the champion (status " + model.status() + "): a rollback returns to a"
                    + " former champion; platform models promote makes any registered model the champion");
        }
        PublishedView view = ServingFit.require(ServingFit.ref(model), current, "no batch view of " + scope.pipeline() + " is published yet: a"
                + " champion scores a view (run platform retrain first)", InvalidChampionException::new);
        if (!view.planFingerprint().equals(scope.planFingerprint())) {
            throw new InvalidChampionException("the view serving (v" + view.viewVersion() + ") was computed with other features than this"
                    + " spec's: pass the spec it was published with, or retrain with this one first");
        }
        Optional<RegisteredModel> from = scoring.filter(v -> v != target).or(() -> champion.map(RegisteredModel::version).filter(v -> v != target))
                .flatMap(registry::byVersion);
        return new Change(action, from, model, view);
    }

    private long formerChampion(Optional<RegisteredModel> champion) {
        return champion.flatMap(current -> registry.changes().madeChampion(current.version())).flatMap(ModelChange::fromVersion)
                .or(() -> registry.lastRetired().map(RegisteredModel::version))
                .orElseThrow(() -> new InvalidChampionException(registry.table() + " holds no former champion to roll back to"
                        + champion.map(c -> " (v" + c.version() + " is the only champion it has had)").orElse("")));
    }

    /** The version of the challenger serving records, if one is set. */
    static Optional<Long> challengerVersion(ServingStore serving) {
        return serving.challenger().flatMap(io.tessera.featurestore.contract.ControlMessage.ChallengerChange::assignment)
                .map(assignment -> assignment.model().version());
    }

    /**
     * Makes the change: registry, serving and control stream, the challenger if it was the new champion,
     * the audit trail.
     *
     * @throws InvalidChampionException if {@link #apply()} refuses it (nothing changed)
     * @throws ConcurrentPromotionException if another change of the registry committed meanwhile (nothing changed)
     * @throws IllegalStateException if the view scored by the new champion was not switched to (a newer
     *     view serves: a retrain published one meanwhile); the registry has the new champion
     */
    public Outcome commit() throws Exception {
        Change change = apply();
        if (!change.to().isChampion()) {
            registry.replaceChampion(change.to());
        }
        RegisteredModel champion = registry.byVersion(change.to().version()).orElseThrow();
        PublishOutcome publication = scope.rescoring().rescore(change.serving(), champion);
        if (!publication.serving()) {
            throw new IllegalStateException("v" + champion.version() + " is the registry's champion, but its view was not switched to: "
                    + publication.reason().orElse("a newer view serves") + "; the newer view is scored by the registry's champion when it"
                    + " fits, else run the command again");
        }
        registry.changes().append(ModelChange.now(change.action(), change.from().map(RegisteredModel::version), Optional.of(champion.version()),
                reason, Optional.empty(), champion.metrics(), Optional.of(publication.view().viewVersion())));
        boolean cleared = challengerVersion(serving).equals(Optional.of(champion.version()))
                && ChallengerUpdate.clear(scope.pipeline(), registry, serving, scope.control(), "v" + champion.version()
                        + " became the champion: " + reason).commit().isPresent();
        return new Outcome(change, publication, cleared);
    }
}
