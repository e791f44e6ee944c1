package io.tessera.batch.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MaintainJobTest {

    private final MaintainJob.Age age = new MaintainJob.Age();

    @Test
    void agesAreANumberAndAUnitOrZero() {
        assertThat(age.convert("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(age.convert("36h")).isEqualTo(Duration.ofHours(36));
        assertThat(age.convert("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(age.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(age.convert("0")).isEqualTo(Duration.ZERO);
        assertThat(LakeMaintenance.human(Duration.ofHours(36))).isEqualTo("36h");
        assertThat(LakeMaintenance.human(Duration.ZERO)).isEqualTo("0");
    }

    @Test
    void anythingElseIsRefusedWithTheFormsItTakes() {
        for (String bad : new String[] {"7", "-1d", "1w", "P7D", ""}) {
            assertThatThrownBy(() -> age.convert(bad)).isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageContaining("such as 7d, 36h");
        }
    }
}
