package io.tessera.batch.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.tessera.batch.BatchTestData;
import io.tessera.batch.TestSpark;
import io.tessera.batch.lake.PipelineTables;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry's promise, against the real lake: after any promotion, one champion at most, never two. */
@LocalStackTest(ServiceName.ICEBERG_CATALOG)
class ModelRegistryTest {

    private static SparkSession spark;

    @BeforeAll
    static void startSpark(TestStack stack) {
        spark = TestSpark.lake(stack);
    }

    @Test
    void aPromotionRetiresThePreviousChampionInTheSameCommit(TestStack stack) throws Exception {
        ModelRegistry registry = registry(stack);

        registry.register(model(1, RegisteredModel.CHAMPION));
        registry.register(model(2, RegisteredModel.REJECTED));
        long beforePromotion = snapshots(registry);
        registry.register(model(3, RegisteredModel.CHAMPION));

        assertThat(statuses(registry)).containsExactly("1 retired", "2 rejected", "3 champion");
        assertThat(registry.champion()).map(RegisteredModel::version).contains(3L);
        assertThat(snapshots(registry)).isEqualTo(beforePromotion + 1);   // no snapshot in between with two champions or none
        assertThat(spark.sql("SELECT count(*) FROM " + registry.table() + " VERSION AS OF "
                + lastSnapshot(registry) + " WHERE status = 'champion'").first().getLong(0)).isEqualTo(1);
    }

    @Test
    void twoConcurrentPromotionsNeverLeaveTwoChampions(TestStack stack) throws Exception {
        ModelRegistry registry = registry(stack);
        registry.register(model(1, RegisteredModel.CHAMPION));

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<?>> promotions = new ArrayList<>();
        for (long version : new long[] {2, 3}) {
            promotions.add(threads.submit(() -> {
                start.await();
                registry.register(model(version, RegisteredModel.CHAMPION));
                return null;
            }));
        }
        start.countDown();
        List<Throwable> failures = new ArrayList<>();
        for (Future<?> promotion : promotions) {
            try {
                promotion.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        threads.shutdown();

        assertThat(spark.sql("SELECT count(*) FROM " + registry.table() + " WHERE status = 'champion'").first().getLong(0))
                .isEqualTo(1);
        // each snapshot the registry ever had holds one champion at most
        for (org.apache.spark.sql.Row snapshot : spark.sql("SELECT snapshot_id FROM " + registry.table() + ".snapshots").collectAsList()) {
            assertThat(spark.sql("SELECT count(*) FROM " + registry.table() + " VERSION AS OF " + snapshot.getLong(0)
                    + " WHERE status = 'champion'").first().getLong(0)).as("snapshot %s", snapshot.getLong(0)).isLessThanOrEqualTo(1);
        }
        assertThat(failures).allSatisfy(failure -> assertThat(failure).isInstanceOf(ConcurrentPromotionException.class));
    }

    private static ModelRegistry registry(TestStack stack) throws Exception {
        PipelineTables tables = new PipelineTables(spark, BatchTestData.cardFraudSpec(stack.namespace()).spec());
        spark.sql("CREATE NAMESPACE IF NOT EXISTS " + tables.namespace());
        ModelRegistry registry = new ModelRegistry(spark, tables);
        registry.ensure();
        return registry;
    }

    private static List<String> statuses(ModelRegistry registry) {
        return spark.sql("SELECT version, status FROM " + registry.table() + " ORDER BY version").collectAsList().stream()
                .map(row -> row.getLong(0) + " " + row.getString(1)).toList();
    }

    private static long snapshots(ModelRegistry registry) {
        return spark.sql("SELECT count(*) FROM " + registry.table() + ".snapshots").first().getLong(0);
    }

    private static long lastSnapshot(ModelRegistry registry) {
        return spark.sql("SELECT snapshot_id FROM " + registry.table() + ".snapshots ORDER BY committed_at DESC LIMIT 1").first().getLong(0);
    }

    private static RegisteredModel model(long version, String status) {
        Timestamp now = new Timestamp(System.currentTimeMillis());
        return new RegisteredModel("registry_test", version, status, "binary_classification", "gbt", "{}", Map.of("logloss", 0.1),
                1L, now, "/nowhere/v" + version + "/model.json", "sha", "test", "run-" + version, now);
    }
}
