package io.tessera.jobs.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.tessera.featurestore.spec.PipelineSpec;
import io.tessera.serving.schema.Migration;
import io.tessera.serving.schema.ServingSchema;
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
    @Command(name = "migrate", description = "Create or upgrade the pipeline's serving tables (versioned, idempotent migrations).")
    static final class Migrate implements Callable<Integer> {

        @ParentCommand
        ServingCommand serving;

        @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The pipeline spec (YAML).")
        Path spec;

        @Override
        public Integer call() {
            PipelineSpec pipeline = SpecCommand.loadOrReport(spec);
            if (pipeline == null) {
                return SpecCommand.INVALID_SPEC;
            }
            StackSettings settings = serving.platform.settings();
            StackRequirements.requireReady(settings, ServiceName.CASSANDRA);
            try (ServingStore store = ServingStore.open(ServingSettings.target(settings), pipeline.name(), pipeline.serving().view())) {
                List<Migration> applied = store.migrate();
                applied.forEach(m -> System.out.printf("applied   migration %d: %s%n", m.version(), m.description()));
                System.out.printf("keyspace  %s at serving schema version %d (%s)%n", pipeline.name(), ServingSchema.latestVersion(),
                        applied.isEmpty() ? "nothing to do" : applied.size() + " applied now");
            }
            return 0;
        }
    }
}
