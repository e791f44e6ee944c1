package io.tessera.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackSettingsTest {

    @Test
    void defaultsComeFromTheCatalogueAndTheFileAndSetOverrideThemInThatOrder(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve(StackSettings.FILE_NAME), "serving.port=9999\nkafka.port = 19092\n");
        StackSettings settings = StackSettings.load(home, Map.of("kafka.port", "29092"));

        assertThat(settings.port("serving.port")).isEqualTo(9999);
        assertThat(settings.source("serving.port")).isEqualTo(home.resolve(StackSettings.FILE_NAME).toString());
        assertThat(settings.port("kafka.port")).isEqualTo(29092);
        assertThat(settings.source("kafka.port")).isEqualTo("--set");
        assertThat(settings.count("start.timeout.seconds")).isEqualTo(180);
        assertThat(settings.source("start.timeout.seconds")).isEqualTo("default");
        assertThat(settings.optional("serving.specs")).isEmpty();
        assertThat(settings.source("serving.specs")).isEqualTo("unset");
        StackSettings defaults = StackSettings.load(home.resolve("no-file-here"), Map.of());
        for (Setting setting : Setting.values()) {
            assertThat(defaults.optional(setting.key())).as(setting.key()).isEqualTo(setting.defaultValue().filter(v -> !v.isBlank()));
        }
    }

    @Test
    void aListOfFilesIsCommaSeparatedAndEmptyWhenNotSet(@TempDir Path home) {
        StackSettings settings = StackSettings.load(home, Map.of("scheduler.specs", " a.yaml, specs/b.yaml ,"));
        assertThat(settings.files("scheduler.specs")).containsExactly(Path.of("a.yaml"), Path.of("specs/b.yaml"));
        assertThat(settings.files("serving.specs")).isEmpty();
    }

    @Test
    void anUnknownKeyIsRefusedWithTheNearestKnownOneAndWhereItCameFrom(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve(StackSettings.FILE_NAME), "serving.prot=9999\n");
        assertThatThrownBy(() -> StackSettings.load(home, Map.of()))
                .isInstanceOf(SettingsException.class)
                .hasMessage("unknown setting 'serving.prot' (" + home.resolve(StackSettings.FILE_NAME) + "): did you mean 'serving.port'?");
        assertThatThrownBy(() -> StackSettings.load(home.resolve("empty"), Map.of("completely.different", "1")))
                .hasMessage("unknown setting 'completely.different' (--set); `platform config show` lists them");
    }

    @Test
    void valuesOfTheWrongKindAreRefusedAllAtOnce(@TempDir Path home) {
        assertThatThrownBy(() -> StackSettings.load(home, Map.of("kafka.port", "70000", "trino.heap", "lots", "cassandra.consistency", "MOST",
                "serving.max.batch", "0")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("4 settings are wrong")
                .hasMessageContaining("setting kafka.port=70000 (--set) is not a port number (1-65535)")
                .hasMessageContaining("setting trino.heap=lots (--set) is not a heap size such as 512m or 2g")
                .hasMessageContaining("setting cassandra.consistency=MOST (--set) is not a Cassandra consistency level")
                .hasMessageContaining("setting serving.max.batch=0 (--set) is not a whole number of at least 1");
    }

    @Test
    void codeThatAsksForAKeyOutsideTheCatalogueFailsLoudly(@TempDir Path home) {
        StackSettings settings = StackSettings.load(home, Map.of());
        assertThatThrownBy(() -> settings.value("serving.prt")).hasMessageContaining("not one of Setting's keys");
    }
}
