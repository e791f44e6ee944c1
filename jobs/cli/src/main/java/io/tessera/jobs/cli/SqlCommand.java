package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.stack.Artifacts;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code platform sql}: the official Trino CLI on the local stack, or the JDBC settings for other tools. */
@Command(name = "sql", description = "Open the Trino CLI (fetched from Maven Central) on the local stack: catalogs lake and serving."
        + " Arguments after -- go to the Trino CLI, e.g. -- --execute \"SELECT * FROM lake.card_fraud.current LIMIT 5\".")
final class SqlCommand implements Callable<Integer> {

    @ParentCommand
    PlatformCommand platform;

    @Option(names = "--jdbc", description = "Print the JDBC URL and properties (for DBeaver and the like) instead.")
    boolean jdbc;

    @Parameters(arity = "0..*", paramLabel = "TRINO-CLI-ARG")
    List<String> cliArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        StackSettings settings = platform.settings();
        if (jdbc) {
            System.out.println("url:      " + settings.trinoJdbcUrl() + "/lake");
            System.out.println("driver:   io.trino.jdbc.TrinoDriver (Maven: io.trino:trino-jdbc:" + new Artifacts(System.err).coordinates("trino.version") + ")");
            System.out.println("user:     tessera (no password: the local stack binds 127.0.0.1 only)");
            System.out.println("catalogs: lake (Iceberg: events, models, publications, views such as <pipeline>.current), serving (Cassandra)");
            return 0;
        }
        StackRequirements.requireReady(settings, ServiceName.TRINO);
        Path cli = new Artifacts(System.err).file("trino.cli");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", cli.toString(),
                "--server", "http://" + StackSettings.BIND_HOST + ":" + settings.port("trino.port"), "--catalog", "lake", "--user", "tessera"));
        command.addAll(cliArgs);
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
