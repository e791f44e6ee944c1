package io.tessera.featurestore.merge;

import io.tessera.featurestore.contract.EpochBuckets;
import io.tessera.featurestore.contract.SnapshotLineage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Test fixture: what the lake and the realtime view hold after a random life of the speed layer, played
 * by the rules its Iceberg sink and Flink follow (docs/stack.md, "The cut between batch and speed"):
 * checkpoints that complete or abort, commits that hold every record of the checkpoints up to theirs,
 * file ingests in between, bounded ends ({@code Long.MAX_VALUE}), crashes restored from the latest
 * checkpoint and restarts without state (a new generation, checkpoint ids from 1 again), and the rows of a
 * bucket of epochs that a committed checkpoint closed merged into one row (each generation with a random
 * number of epochs per bucket, one meaning none). It knows nothing of {@code ServingCut}: which events a
 * snapshot holds, and the generation and epoch each was appended with, are its own bookkeeping.
 */
final class SpeedHistory {

    /** A lake snapshot: its summary and the events it added. */
    record Snapshot(Map<String, String> summary, List<Integer> added) {
    }

    record RowKey(long generation, long epoch) {
    }

    final List<Snapshot> snapshots = new ArrayList<>();
    final Map<RowKey, List<Integer>> rows = new LinkedHashMap<>();
    final Set<Integer> late = new LinkedHashSet<>();
    final Map<String, Integer> seen = new HashMap<>();
    /** The (generation, epoch) a speed-layer event was last processed in: the lake row's lineage columns. */
    final Map<Integer, RowKey> lineage = new HashMap<>();

    private long generation;
    private long lastTriggered;
    private long epoch;
    /** Processed by this generation, not committed yet: event to its epoch. */
    private final Map<Integer, Long> pending = new LinkedHashMap<>();
    private final List<Integer> filesWaiting = new ArrayList<>();
    private long watermark = Long.MIN_VALUE;
    private EpochBuckets buckets = EpochBuckets.SINGLE;
    private Random random;

    /**
     * @param times event time of each event, by index
     * @param fromFiles which events arrive by file ingest instead of Kafka
     */
    static SpeedHistory play(long[] times, boolean[] fromFiles, long maxLateness, Random random) {
        SpeedHistory history = new SpeedHistory();
        history.random = random;
        history.startGeneration();
        Deque<Integer> arrivals = new ArrayDeque<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            order.add(i);
        }
        // mostly in event-time order, as producers send, with some disorder: late events happen, not always
        long[] jitter = new long[times.length];
        for (int i = 0; i < times.length; i++) {
            jitter[i] = times[i] + (long) (random.nextDouble() * 3 * maxLateness);
        }
        order.sort(java.util.Comparator.comparingLong(i -> jitter[i]));
        arrivals.addAll(order);
        while (!arrivals.isEmpty()) {
            history.act(random, arrivals);
            int event = arrivals.pollFirst();
            if (fromFiles[event]) {
                history.filesWaiting.add(event);
            } else {
                history.process(event, times[event], maxLateness);
            }
        }
        history.act(random, arrivals);
        if (random.nextBoolean()) {
            history.ingestFiles();
        }
        return history;
    }

    private void act(Random random, Deque<Integer> arrivals) {
        int roll = random.nextInt(100);
        if (roll < 16) {
            checkpoint(random.nextInt(5) > 0);
        } else if (roll < 20) {
            ingestFiles();
        } else if (roll < 23) {
            commit(Long.MAX_VALUE);   // a bounded or drained end: everything pending is committed
            count("bounded end");
            startGeneration();
        } else if (roll < 27) {
            crash(arrivals);
            count("restart without state");
            startGeneration();
        } else if (roll < 31) {
            crash(arrivals);
            count("restore from latest checkpoint");
            epoch = lastCommitted() + 1;   // ids keep increasing; the epoch restarts above the restored id
        } else if (roll < 45) {
            mergeClosedBuckets();
        }
    }

    /** Merges the rows of each bucket of this generation that a committed checkpoint closed into one row, tagged with its end. */
    private void mergeClosedBuckets() {
        Map<RowKey, List<Integer>> merged = new LinkedHashMap<>();
        for (Map.Entry<RowKey, List<Integer>> row : rows.entrySet()) {
            RowKey key = row.getKey();
            long end = buckets.end(key.epoch());
            RowKey into = key.generation() == generation && end <= lastCommitted() ? new RowKey(generation, end) : key;
            merged.computeIfAbsent(into, k -> new ArrayList<>()).addAll(row.getValue());
        }
        if (merged.size() < rows.size()) {
            count("bucket merged");
        }
        rows.clear();
        rows.putAll(merged);
    }

    private void process(int event, long time, long maxLateness) {
        if (watermark != Long.MIN_VALUE && time < watermark - maxLateness) {
            late.add(event);
            return;
        }
        watermark = Math.max(watermark, time);
        rows.computeIfAbsent(new RowKey(generation, epoch), k -> new ArrayList<>()).add(event);
        lineage.put(event, new RowKey(generation, epoch));
        pending.put(event, epoch);
    }

    private void checkpoint(boolean completes) {
        lastTriggered++;
        epoch = lastTriggered + 1;
        if (completes) {
            commit(lastTriggered);
        } else {
            count("aborted checkpoint");
        }
    }

    /** Commits every pending record of checkpoints up to {@code checkpoint}. */
    private void commit(long checkpoint) {
        List<Integer> added = new ArrayList<>();
        pending.entrySet().removeIf(e -> {
            if (e.getValue() <= checkpoint) {
                added.add(e.getKey());
                return true;
            }
            return false;
        });
        Map<String, String> summary = new HashMap<>(SnapshotLineage.sinkProperties(generation, buckets));
        summary.put(SnapshotLineage.CHECKPOINT, Long.toString(checkpoint));
        snapshots.add(new Snapshot(summary, added));
        committed.put(generation, checkpoint);
    }

    private final Map<Long, Long> committed = new HashMap<>();

    private long lastCommitted() {
        return committed.getOrDefault(generation, 0L);
    }

    /** The records not committed are read again from Kafka; their realtime rows are deleted first. */
    private void crash(Deque<Integer> arrivals) {
        long last = lastCommitted();
        rows.keySet().removeIf(k -> k.generation() == generation && k.epoch() > last);
        List<Integer> replay = new ArrayList<>(pending.keySet());
        pending.clear();
        for (int i = replay.size() - 1; i >= 0; i--) {
            arrivals.addFirst(replay.get(i));
        }
    }

    private void startGeneration() {
        generation++;
        lastTriggered = 0;
        epoch = 1;
        watermark = Long.MIN_VALUE;
        buckets = new EpochBuckets(1 + random.nextInt(4));
        snapshots.add(new Snapshot(SnapshotLineage.generationMarker(generation, buckets), List.of()));
    }

    private void ingestFiles() {
        if (!filesWaiting.isEmpty()) {
            snapshots.add(new Snapshot(Map.of("added-records", Integer.toString(filesWaiting.size())), List.copyOf(filesWaiting)));
            filesWaiting.clear();
            count("file ingest");
        }
    }

    private void count(String what) {
        seen.merge(what, 1, Integer::sum);
    }
}
