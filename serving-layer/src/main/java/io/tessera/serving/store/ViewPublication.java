package io.tessera.serving.store;

import io.tessera.featurestore.contract.PublishedView;
import java.util.List;
import java.util.Optional;

/**
 * Publishing one batch view version, in the manner of Iceberg's {@code PendingUpdate}: built by
 * {@link ServingStore#newPublication}, its rows written with {@link #rowWriter()}, then
 * {@link #apply()} validates without side effects and {@link #commit()} switches readers to it in one
 * conditional write, then retires what retention no longer keeps.
 *
 * <p>Forward-only: a view not newer than the serving one ({@link PublishedView#RECENCY}) fails with
 * {@link StaleViewException}; an incomplete one with {@link IncompleteViewException}. Committing the
 * version already serving is a no-op that succeeds, so a run resumed after a crash completes.
 */
public final class ViewPublication {

    /** What a commit did. */
    public enum Outcome {
        /** Readers now use this version. */
        SWITCHED,
        /** It was serving already (a resumed run). */
        ALREADY_SERVING
    }

    /** A commit's result: what it did and the versions retention retired. */
    public record Committed(Outcome outcome, List<Long> retired) {
    }

    private final ServingStore store;
    private final PublishedView view;
    private final int buckets;

    ViewPublication(ServingStore store, PublishedView view, int buckets) {
        this.store = store;
        this.view = view;
        this.buckets = buckets;
    }

    public PublishedView view() {
        return view;
    }

    public int buckets() {
        return buckets;
    }

    /** Writes this version's rows; serializable, for every Spark executor. */
    public BatchViewWriter rowWriter() {
        return new BatchViewWriter(store.target(), store.keyspace(), view.viewVersion(), buckets);
    }

    /** Records that all of the version's rows are written. */
    public void rowsWritten(long rows) {
        store.recordVersion(view, buckets, ServingStore.WRITTEN, rows);
    }

    /**
     * Checks that this version may replace what serves now, before its rows are written: a run whose view
     * would be refused need not write them.
     *
     * @throws StaleViewException if the version is not newer than the serving one
     */
    public void requireNewerThanServing() {
        Optional<ServedView> serving = store.current();
        if (serving.isPresent() && serving.get().version() != view.viewVersion() && view.isNotNewerThan(serving.get().view())) {
            throw new StaleViewException(view, serving.get().view());
        }
    }

    /**
     * Validates against what serves now, changing nothing.
     *
     * @throws StaleViewException if the version is not newer than the serving one
     * @throws IncompleteViewException if its rows are not all written
     */
    public Outcome apply() {
        return validate(store.current());
    }

    private Outcome validate(Optional<ServedView> serving) {
        if (serving.isPresent() && serving.get().version() == view.viewVersion()) {
            return Outcome.ALREADY_SERVING;
        }
        if (serving.isPresent() && view.isNotNewerThan(serving.get().view())) {
            throw new StaleViewException(view, serving.get().view());
        }
        long written = store.rowsWritten(view.viewVersion());
        if (written != view.entities()) {
            throw new IncompleteViewException("view v" + view.viewVersion() + " holds " + view.entities() + " keys but "
                    + (written < 0 ? "its rows were never recorded as written" : written + " rows were written")
                    + ": it is not switched to");
        }
        return Outcome.SWITCHED;
    }

    /**
     * Switches readers to this version (one conditional write of the view's row: readers see the
     * previous version or this one, never a mix), then retires failed versions and published ones beyond
     * the retention.
     *
     * @throws StaleViewException, IncompleteViewException as {@link #apply()}
     * @throws PublicationConflictException if other publishers kept switching meanwhile
     */
    public Committed commit() {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<ServedView> serving = store.current();
            if (validate(serving) == Outcome.ALREADY_SERVING) {
                return new Committed(Outcome.ALREADY_SERVING, List.of());
            }
            if (store.switchTo(view, buckets, serving.map(ServedView::version))) {
                store.recordVersion(view, buckets, ServingStore.PUBLISHED, view.entities());
                return new Committed(Outcome.SWITCHED, store.retire(view.viewVersion()));
            }
        }
        throw new PublicationConflictException("view " + view.pipeline() + " v" + view.viewVersion()
                + ": other publishers switched the view during three attempts; nothing changed by this one");
    }
}
