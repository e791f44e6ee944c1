package io.tessera.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import io.tessera.serving.api.ApiKeys;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code platform api-keys add}: a new key for the query API, stored hashed in the configuration home. */
@Command(name = "api-keys", description = "Keys of the query API (hashed in <home>/api-keys.properties).", subcommands = ApiKeysCommand.Add.class)
final class ApiKeysCommand {

    @ParentCommand
    PlatformCommand platform;

    static Path file(StackSettings settings) {
        return settings.home().resolve("api-keys.properties");
    }

    /** {@code platform api-keys add --name N --scope read [--scope score]}. */
    @Command(name = "add", description = "Make a key, store its hash with its scopes, and print the key once.")
    static final class Add implements Callable<Integer> {

        @ParentCommand
        ApiKeysCommand keys;

        @Option(names = "--name", required = true, description = "Who uses it (shown in 403 messages).")
        String name;

        @Option(names = "--scope", required = true, description = "read or score (repeatable).")
        Set<ApiKeys.Scope> scopes = EnumSet.noneOf(ApiKeys.Scope.class);

        @Override
        public Integer call() throws Exception {
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                System.err.println("a key's name is 1 to 64 letters, digits, '.', '_' or '-'");
                return 2;
            }
            String[] key = ApiKeys.newKey(name, scopes);
            Path file = file(keys.platform.settings());
            Files.createDirectories(file.getParent());
            Files.write(file, List.of(key[1]), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.println(key[0]);
            System.err.println("stored the hash of key '" + name + "' in " + file + "; the key above is not stored anywhere: keep it");
            return 0;
        }
    }
}
