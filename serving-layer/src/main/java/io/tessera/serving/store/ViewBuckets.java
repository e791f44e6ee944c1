package io.tessera.serving.store;

import java.nio.charset.StandardCharsets;
import org.apache.datasketches.hash.MurmurHash3;

/**
 * How a view version's rows are spread over partitions: {@code (view_version, bucket)}, the bucket a
 * hash of the key. About {@value #KEYS_PER_BUCKET} keys per partition keeps partitions small for reads
 * and lets a retired version be deleted with one partition tombstone per bucket. The hash is fixed
 * (MurmurHash3, seed 0, of the key's UTF-8 bytes): writers and readers of any engine must agree on it.
 */
public final class ViewBuckets {

    static final int KEYS_PER_BUCKET = 64;
    private static final int MAX_BUCKETS = 1 << 20;

    private ViewBuckets() {
    }

    /** The bucket count of a version holding {@code entities} keys. */
    public static int count(long entities) {
        return (int) Math.max(1, Math.min(MAX_BUCKETS, (entities + KEYS_PER_BUCKET - 1) / KEYS_PER_BUCKET));
    }

    public static int of(String entity, int buckets) {
        long hash = MurmurHash3.hash(entity.getBytes(StandardCharsets.UTF_8), 0)[0];
        return (int) Math.floorMod(hash, (long) buckets);
    }
}
