package io.tessera.jobs.cli;

import java.util.concurrent.Callable;

import io.tessera.stack.Setting;
import io.tessera.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code platform config show}: every setting with its effective value, where that came from, and what it means. */
@Command(name = "config", description = "The platform's settings (platform.properties in the home, --set overrides).",
        subcommands = ConfigCommand.Show.class)
final class ConfigCommand {

    @ParentCommand
    PlatformCommand platform;

    @Command(name = "show", description = "Every setting: key, effective value, source (default, the file, --set) and meaning.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ConfigCommand parent;

        @Override
        public Integer call() {
            StackSettings settings = parent.platform.settings();
            System.out.printf("home %s (settings file %s)%n", settings.home(), settings.home().resolve(StackSettings.FILE_NAME));
            for (Setting setting : Setting.values()) {
                String value = settings.optional(setting.key()).orElse("-");
                System.out.printf("%-30s %-22s %-10s %s%n", setting.key(), value, source(settings, setting), setting.meaning());
            }
            return 0;
        }

        private static String source(StackSettings settings, Setting setting) {
            String source = settings.source(setting.key());
            return source.equals("default") || source.equals("--set") || source.equals("unset") ? source : "file";
        }
    }
}
