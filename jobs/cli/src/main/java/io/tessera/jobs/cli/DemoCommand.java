package io.tessera.jobs.cli;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import io.tessera.jobs.demo.StackTour;
import io.tessera.jobs.launch.Layer;
import io.tessera.jobs.launch.LayerLauncher;
import io.tessera.stack.LocalStack;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code platform demo}: the platform end to end on embedded defaults, saying what it does. */
@Command(name = "demo", description = "Bring the stack up and run the platform end to end on embedded defaults, printing what it does.")
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    PlatformCommand platform;

    @Override
    public Integer call() throws Exception {
        StackSettings settings = platform.settings();
        System.out.println("== 1. local stack");
        new LocalStack(settings, System.out).up(Set.of());

        String host = StackSettings.BIND_HOST;
        StackTour tour = new StackTour(host + ":" + settings.port("kafka.port"),
                new InetSocketAddress(host, settings.port("cassandra.port")),
                "jdbc:trino://" + host + ":" + settings.port("trino.port"));

        System.out.println("== 2. kafka: produce and consume");
        List<String> consumed = tour.kafkaRoundTrip("demo.events", List.of("4111,12.5", "4222,30.0", "4111,7.5"));
        System.out.println("kafka: consumed " + consumed.size() + " records from demo.events, e.g. " + consumed.get(0));

        System.out.println("== 3. cassandra: write and read by key");
        double score = tour.cassandraRoundTrip("demo", Map.of("4111", 0.12, "4222", 0.87), "4222");
        System.out.println("cassandra: demo.scores['4222'] = " + score);

        System.out.println("== 4. spark (batch layer JVM) appends to the iceberg lake");
        LayerLauncher launcher = new LayerLauncher(settings);
        String catalogUri = "http://" + host + ":" + settings.port("iceberg.port");
        require(launcher.run(Layer.BATCH, List.of("smoke-write", "--catalog-uri", catalogUri, "--table", "demo.events")), "spark job");

        System.out.println("== 5. trino: SQL over the lake");
        List<String> lake = tour.trinoQuery("SELECT count(*), sum(amt) FROM lake.demo.events");
        System.out.println("trino: lake.demo.events (count|sum) -> " + lake);

        System.out.println("== 6. flink (speed layer JVM) reads the same table and must see as many rows as trino");
        String rows = lake.get(0).split("\\|")[0];
        require(launcher.run(Layer.SPEED, List.of("smoke-read", "--catalog-uri", catalogUri, "--table", "demo.events", "--expect-rows", rows)),
                "flink job");

        System.out.println("== 7. trino: SQL over the serving store");
        System.out.println("trino: serving.demo.scores -> " + tour.trinoQuery("SELECT card, score FROM serving.demo.scores ORDER BY card"));

        System.out.println("demo done. The stack keeps running: ./platform stack status | ./platform stack down");
        return 0;
    }

    private static void require(int exitCode, String what) {
        if (exitCode != 0) {
            throw new IllegalStateException(what + " failed with exit code " + exitCode);
        }
    }
}
