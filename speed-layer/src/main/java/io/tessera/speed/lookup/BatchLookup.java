package io.tessera.speed.lookup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.featurestore.contract.ServingCut;
import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.featurestore.tile.FeaturePlan;
import io.tessera.serving.store.BatchViewRow;
import io.tessera.serving.store.CassandraTarget;
import io.tessera.serving.store.RealtimeRow;
import io.tessera.serving.store.ServedView;
import io.tessera.serving.store.ServingReader;
import io.tessera.serving.store.ServingStore;
import io.tessera.speed.job.SpecText;
import io.tessera.speed.source.DecodedRecord;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks up, without blocking the task, what the serving tables hold for a record's key: its partials in
 * the batch view serving, and (for a generation after the first) its realtime rows of earlier generations.
 * A bounded cache keyed by entity holds the answer of the view version it was read for; a newly
 * published view (seen within a second, {@link ServingReader#currentView()}) misses once per key. A
 * failed read fails the record, and with it the task: the job restarts from its last checkpoint with
 * back-off (docs/architecture.md, "The speed layer").
 */
public final class BatchLookup extends RichAsyncFunction<DecodedRecord, LookedUp> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchLookup.class);

    private final SpecText spec;
    private final CassandraTarget target;
    private final long generation;
    private final int cacheSize;

    private transient ServingStore store;
    private transient ServingReader reader;
    private transient FeaturePlan plan;
    private transient Cache<String, Lookup> cache;
    private transient long refusedView;

    /** What one key's lookup found, for one view version (0: no view). */
    private record Lookup(long viewVersion, byte[] batch, List<RealtimeRow> olderGenerations) {
    }

    /**
     * @param generation this run's generation: rows of earlier ones are looked up only if it is not the first
     * @param cacheSize keys whose lookups are kept
     */
    public BatchLookup(SpecText spec, CassandraTarget target, long generation, int cacheSize) {
        this.spec = spec;
        this.target = target;
        this.generation = generation;
        this.cacheSize = cacheSize;
    }

    @Override
    public void open(OpenContext context) {
        PipelineSpec parsed = spec.parse();
        plan = FeaturePlan.of(parsed);
        store = ServingStore.open(target, parsed.name(), parsed.serving().view());
        store.migrate();
        reader = store.reader(parsed);
        cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
    }

    @Override
    public void asyncInvoke(DecodedRecord record, ResultFuture<LookedUp> result) {
        ServedView view = usable(reader.currentView());
        long version = view == null ? 0 : view.version();
        Lookup cached = cache.getIfPresent(record.entity);
        if (cached != null && cached.viewVersion() == version) {
            result.complete(List.of(new LookedUp(record, version, cached.batch(), cached.olderGenerations())));
            return;
        }
        CompletionStage<byte[]> batch = view == null ? CompletableFuture.completedFuture(null)
                : reader.batchRowAsync(view, record.entity).thenApply(row -> row.map(BatchViewRow::partials).orElse(null));
        ServingCut cut = view == null ? ServingCut.NONE : view.view().cut();
        CompletionStage<List<RealtimeRow>> older = coversEarlierGenerations(cut) ? CompletableFuture.completedFuture(List.of())
                : reader.realtimeAsync(record.entity, cut).thenApply(p -> older(p.rows()));
        batch.thenCombine(older, (b, o) -> new Lookup(version, b, o)).whenComplete((lookup, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            cache.put(record.entity, lookup);
            result.complete(List.of(new LookedUp(record, version, lookup.batch(), lookup.olderGenerations())));
        });
    }

    /**
     * True if no row of an earlier generation can be uncovered by {@code cut}: this is the first
     * generation, or the cut is of a later one, or of the previous one complete. Then a key's partition
     * is not read (after a restart without state it is, once per key, until a view covers the old rows).
     */
    private boolean coversEarlierGenerations(ServingCut cut) {
        long previous = generation - 1;
        return previous < 1 || cut.generation() > previous || cut.generation() == previous && cut.complete();
    }

    /** The view, unless it was computed under another plan: its partials would not fit this job's state. */
    private ServedView usable(Optional<ServedView> current) {
        if (current.isEmpty()) {
            return null;
        }
        ServedView view = current.get();
        if (!view.view().planFingerprint().equals(plan.fingerprint())) {
            if (refusedView != view.version()) {
                refusedView = view.version();
                LOG.error("the serving view v{} was computed under another version of the spec (plan {}, this job's {}): events are not"
                        + " scored until a view of this spec is published (run platform retrain)", view.version(),
                        view.view().planFingerprint().shortHex(), plan.fingerprint().shortHex());
            }
            return null;
        }
        return view;
    }

    private List<RealtimeRow> older(List<RealtimeRow> rows) {
        return rows.stream().filter(row -> row.generation() < generation).toList();
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
