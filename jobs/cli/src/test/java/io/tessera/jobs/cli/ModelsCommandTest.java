package io.tessera.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code platform models challenger}: options that cannot make a valid challenger are refused before anything starts. */
class ModelsCommandTest {

    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        CommandLine command = PlatformCommand.commandLine();
        StringWriter err = new StringWriter();
        command.setErr(new PrintWriter(err));
        command.setOut(new PrintWriter(new StringWriter()));
        List<String> all = new java.util.ArrayList<>(List.of("--home", "target/models-command-test", "models", "challenger"));
        all.addAll(List.of(args));
        return new Run(command.execute(all.toArray(String[]::new)), err.toString());
    }

    @Test
    void badOptionsAreUsageErrorsThatSayWhatIsWrong() {
        Run shadowWithShare = run("set", "--spec", "p.yaml", "--version", "2", "--mode", "shadow", "--share", "0.1", "--reason", "r");
        assertThat(shadowWithShare.exit()).isEqualTo(2);
        assertThat(shadowWithShare.err()).contains("--share is for --mode ab: a shadow challenger scores every key");

        Run abWithoutShare = run("set", "--spec", "p.yaml", "--version", "2", "--mode", "ab", "--reason", "r");
        assertThat(abWithoutShare.exit()).isEqualTo(2);
        assertThat(abWithoutShare.err()).contains("--mode ab needs --share");

        for (String share : List.of("0", "1.5", "-0.1", "NaN")) {
            Run outOfRange = run("set", "--spec", "p.yaml", "--version", "2", "--mode", "ab", "--share", share, "--reason", "r");
            assertThat(outOfRange.exit()).as(share).isEqualTo(2);
            assertThat(outOfRange.err()).contains("--share must be in (0, 1], got");
        }

        Run unknownMode = run("set", "--spec", "p.yaml", "--version", "2", "--mode", "canary", "--reason", "r");
        assertThat(unknownMode.exit()).isEqualTo(2);
        assertThat(unknownMode.err()).contains("--mode").contains("canary");

        Run noReason = run("clear", "--spec", "p.yaml");
        assertThat(noReason.exit()).isEqualTo(2);
        assertThat(noReason.err()).contains("--reason");

        Run blankReason = run("clear", "--spec", "p.yaml", "--reason", " ");
        assertThat(blankReason.exit()).isEqualTo(2);
        assertThat(blankReason.err()).contains("--reason must say why");

        Run badVersion = run("set", "--spec", "p.yaml", "--version", "0", "--mode", "shadow", "--reason", "r");
        assertThat(badVersion.exit()).isEqualTo(2);
        assertThat(badVersion.err()).contains("model versions start at 1, got 0");
    }
}
