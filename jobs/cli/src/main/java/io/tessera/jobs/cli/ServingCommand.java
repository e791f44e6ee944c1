package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.serving.schema.Migration;
import io.tessera.serving.schema.ServingSchema;
import io.tessera.serving.sql.TrinoViews;
import io.tessera.serving.store.ServingStore;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code platform serving}: the serving tables in Cassandra. */
@Command(name = "serving", description = "The serving tables of a pipeline in Cassandra.", subcommands = ServingCommand.Migrate.class)
final class ServingCommand {

    @ParentCommand
    PlatformCommand platform;

    /** {@code platform serving migrate --spec S}. */
    @Command(name = "migrate", description = "Create or upgrade the pipeline's serving tables (versioned, idempotent migrations) and its SQL views in Trino.")
    static final class Migrate implements Callable<Integer> {

        @ParentCommand
        ServingCommand serving;

        @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
        Path spec;

        @Override
        public Integer call() throws java.sql.SQLException {
            PipelineSpec pipeline = SpecCommand.loadOrReport(spec);
            if (pipeline == null) {
                return SpecCommand.INVALID_SPEC;
            }
            StackSettings settings = serving.platform.settings();
            StackRequirements.requireReady(settings, ServiceName.CASSANDRA, ServiceName.ICEBERG_CATALOG, ServiceName.TRINO);
            try (ServingStore store = ServingStore.open(ServingSettings.target(settings), pipeline.name(), pipeline.serving().view())) {
                List<Migration> applied = store.migrate();
                applied.forEach(m -> System.out.printf("applied   migration %d: %s%n", m.version(), m.description()));
                System.out.printf("keyspace  %s at serving schema version %d (%s)%n", pipeline.name(), ServingSchema.latestVersion(),
                        applied.isEmpty() ? "nothing to do" : applied.size() + " applied now");
            }
            try (Connection trino = DriverManager.getConnection(settings.trinoJdbcUrl(), "tessera", null);
                 Statement statement = trino.createStatement()) {
                for (String sql : TrinoViews.statements(pipeline)) {
                    statement.execute(sql);
                }
            }
            System.out.printf("views     lake.%s.current (through Trino: %s)%n", pipeline.name(), settings.trinoJdbcUrl());
            return 0;
        }
    }
}
