package io.tessera.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.tessera.jobs.replay.ReplayTestData;
import io.tessera.stack.ServiceName;
import io.tessera.stack.junit.LocalStackTest;
import io.tessera.stack.junit.TestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code platform replay} as an operator runs it: what it says, and its exit codes. */
@LocalStackTest(ServiceName.KAFKA)
class ReplayCommandTest {

    private final StringWriter err = new StringWriter();

    private int platform(String... args) {
        CommandLine commandLine = PlatformCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static Path spec(TestStack stack, Path dir) throws Exception {
        return Files.writeString(dir.resolve("pipeline.yaml"), ReplayTestData.cardFraudYaml(stack.topic(), "csv"));
    }

    private static Path events(Path dir) throws Exception {
        return Files.write(dir.resolve("events.csv"), List.of("unix_time,cc_num,amt", "1371816865,4111,2.5", "", "1371816866,4222,1.0"));
    }

    @Test
    void aMissingTopicIsNamedWithHowToCreateItAndNothingIsSent(TestStack stack, @TempDir Path dir) throws Exception {
        Path spec = spec(stack, dir);

        int exitCode = platform("--home", stack.settings().home().toString(), "replay", "--spec", spec.toString(), "--file", events(dir).toString());

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("error: topic '" + stack.topic() + "' does not exist on Kafka at " + stack.kafkaBootstrap())
                .contains("`platform speed start --spec " + spec + "`")
                .contains("--create-topic");
    }

    @Test
    void createTopicCreatesItAndEveryDataLineIsSent(TestStack stack, @TempDir Path dir) throws Exception {
        int exitCode = platform("--home", stack.settings().home().toString(), "replay", "--spec", spec(stack, dir).toString(),
                "--file", events(dir).toString(), "--create-topic", "--partitions", "3", "--rate", "1000", "--no-progress");

        assertThat(exitCode).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(ReplayTestData.consumeAll(stack, stack.topic(), 2)).map(ConsumerRecord::key).containsExactlyInAnyOrder("4111", "4222");
    }

    @Test
    void aRateThatIsNotPositiveIsBadUsage(TestStack stack, @TempDir Path dir) throws Exception {
        int exitCode = platform("--home", stack.settings().home().toString(), "replay", "--spec", spec(stack, dir).toString(),
                "--file", events(dir).toString(), "--rate", "0");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).startsWith("--rate must be > 0 records per second, not 0.0");
    }

    @Test
    void aMissingFileOrAnInvalidSpecFailsBeforeKafkaIsAsked(TestStack stack, @TempDir Path dir) throws Exception {
        String home = stack.settings().home().toString();

        assertThat(platform("--home", home, "replay", "--spec", spec(stack, dir).toString(), "--file", dir.resolve("none.csv").toString()))
                .isEqualTo(1);
        assertThat(err.toString()).isEqualToIgnoringNewLines("error: --file " + dir.resolve("none.csv") + ": no such file");

        Path invalid = Files.writeString(dir.resolve("invalid.yaml"), "pipeline: x\n");
        assertThat(platform("--home", home, "replay", "--spec", invalid.toString(), "--file", events(dir).toString())).isEqualTo(1);
    }

    @Test
    void kafkaNotRunningIsNamedWithHowToStartIt(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("pipeline.yaml"), ReplayTestData.cardFraudYaml("transactions", "csv"));

        int exitCode = platform("--home", dir.resolve("no-stack-here").toString(), "replay", "--spec", spec.toString(), "--file", events(dir).toString());

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: not running: [kafka (127.0.0.1:9092)]").contains("./platform stack up");
    }
}
