package io.tessera.batch.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import io.tessera.featurestore.contract.PublishedView;
import io.tessera.featurestore.event.Event;
import io.tessera.serving.store.ServedView;
import io.tessera.serving.store.ServingStore;

/**
 * The live consistency check: what the query API serves for sampled keys against what the lake's events
 * give when recomputed one at a time ({@link LakeVectors}), feature by feature, with zero tolerance.
 *
 * <p>Both sides must look at the same events. The check first waits until the speed layer has committed
 * what its topic held when the check began ({@link SpeedCatchUp}); then it reads the API and the lake. A
 * key whose events arrive while it is compared, or whose view is replaced meanwhile, can still differ for
 * a moment: a key that differs is compared again, after the speed layer has caught up again, up to
 * {@link #ATTEMPTS} times; only a difference that persists is reported. Each key is read as of just after
 * its newest event (every window ends there, so every event counts), or as of {@code --at}.
 */
final class ConsistencyCheck {

    static final int ATTEMPTS = 3;
    private static final Duration RECHECK_WAIT = Duration.ofSeconds(30);
    private static final Duration RECHECK_PAUSE = Duration.ofSeconds(2);

    /** The view's partials come from another plan than the spec's: comparing them would report the spec change. */
    static final class SpecChangedException extends IllegalStateException {
        SpecChangedException(String message) {
            super(message);
        }
    }

    private final LakeVectors lake;
    private final ApiVectors api;
    private final ServingStore serving;
    private final SpeedCatchUp speed;
    private final Duration wait;

    ConsistencyCheck(LakeVectors lake, ApiVectors api, ServingStore serving, SpeedCatchUp speed, Duration wait) {
        this.lake = lake;
        this.api = api;
        this.serving = serving;
        this.speed = speed;
        this.wait = wait;
    }

    /** The view serving now; the check's key sample is drawn against it. */
    PublishedView currentView() {
        return serving.current().map(ServedView::view).orElseThrow(() -> new IllegalStateException(
                "no batch view is published yet: nothing is served to check (run platform retrain first)"));
    }

    ConsistencyReport run(List<String> keys, OptionalLong at, java.io.PrintStream progress) throws Exception {
        Map<String, Comparison> results = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>(keys);
        PublishedView view = null;
        long fileEventsLeftOut = 0;
        for (int attempt = 1; attempt <= ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                progress.printf("check     %d keys differ, compared again once the speed layer has caught up (attempt %d of %d)%n",
                        pending.size(), attempt, ATTEMPTS);
                Thread.sleep(RECHECK_PAUSE.toMillis());
            }
            SpeedCatchUp.Standing standing = speed.await(attempt == 1 ? wait : RECHECK_WAIT);
            if (attempt == 1) {
                progress.println(!standing.consuming() ? "speed     no committed offsets: no speed layer has run, the views hold the batch view alone"
                        : standing.caughtUp() ? "speed     caught up: the lake and the realtime view hold every event sent before the check"
                        : "speed     still " + standing.behind() + " records behind after " + wait + ": keys with those events may differ");
            }
            view = currentView();
            if (!view.planFingerprint().equals(lake.plan().fingerprint())) {
                throw new SpecChangedException("view v" + view.viewVersion() + " was computed from another plan than this spec's (the spec's"
                        + " features changed since it was published): retrain, then check");
            }
            LakeVectors.LakeEvents events = lake.events(view, pending);
            if (attempt == 1) {
                fileEventsLeftOut = events.fileEventsAfterView();
            }
            List<String> differing = new ArrayList<>();
            for (String key : pending) {
                Comparison comparison = compare(view, key, events.byKey().getOrDefault(key, List.of()), at);
                results.put(key, comparison);
                if (comparison.differs()) {
                    differing.add(key);
                }
            }
            pending = differing;
        }
        ConsistencyReport report = new ConsistencyReport(lake.featureNames(view));
        report.leftOut(fileEventsLeftOut);
        for (Comparison c : results.values()) {
            c.addTo(report);
        }
        return report;
    }

    /**
     * One key's two answers.
     *
     * @param skipped why the key was not compared, or null
     * @param retry whether comparing again may give another answer (the API read another view than the lake side)
     */
    private record Comparison(String key, long readTime, Optional<ApiVectors.ApiVector> served, double[] recomputed, String skipped,
            boolean retry, List<String> features) {

        boolean differs() {
            if (retry) {
                return true;
            }
            if (skipped != null) {
                return false;
            }
            return served.isEmpty() || !ConsistencyReport.same(features, served.get().features(), recomputed);
        }

        void addTo(ConsistencyReport report) {
            if (skipped != null) {
                report.notComparable(key, skipped);
            } else if (served.isEmpty()) {
                report.unserved(key);
            } else {
                report.compare(key, readTime, served.get().features(), recomputed, served.get().realtimeRows() > 0);
            }
        }
    }

    private Comparison compare(PublishedView view, String key, List<Event> events, OptionalLong at) throws Exception {
        List<String> features = lake.featureNames(view);
        long readTime = at.isPresent() ? at.getAsLong()
                : events.stream().mapToLong(Event::time).max().stream().map(newest -> newest + 1).findFirst().orElse(System.currentTimeMillis());
        double[] recomputed = lake.vector(view, events, readTime);
        try {
            Optional<ApiVectors.ApiVector> served = api.read(key, readTime);
            if (served.isEmpty() && events.isEmpty()) {
                return new Comparison(key, readTime, served, recomputed, "neither the lake nor the API knows it", false, features);
            }
            if (served.isPresent() && served.get().viewVersion() != view.viewVersion()) {
                // a publication in between: the API answered from another view than the lake side used
                return new Comparison(key, readTime, served, recomputed, "the API answered from view v" + served.get().viewVersion()
                        + ", the lake side used v" + view.viewVersion(), true, features);
            }
            return new Comparison(key, readTime, served, recomputed, null, false, features);
        } catch (ApiVectors.ApiException e) {
            if ("before_horizon".equals(e.code())) {
                return new Comparison(key, readTime, Optional.empty(), recomputed, e.getMessage(), false, features);
            }
            throw e;
        }
    }
}
