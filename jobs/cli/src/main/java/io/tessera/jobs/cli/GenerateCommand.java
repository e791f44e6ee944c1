package io.tessera.jobs.cli;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import io.tessera.jobs.generate.CardTransactionGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code platform generate}: seeded synthetic data for benchmarks and volume tests. */
@Command(name = "generate", description = "Write seeded synthetic card transactions (the card_fraud example's schema) to a CSV file.")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--events", required = true, description = "How many transactions.")
    long events;

    @Option(names = "--cards", defaultValue = "20000", description = "Distinct cards (default: ${DEFAULT-VALUE}).")
    int cards;

    @Option(names = "--days", defaultValue = "30", description = "Span of event time in days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--start", defaultValue = "2020-06-01T00:00:00Z", description = "First event time, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Instant start;

    @Option(names = "--seed", defaultValue = "42", description = "Same seed, same file (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "CSV file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (events <= 0 || cards <= 0 || days <= 0) {
            throw new IllegalArgumentException("--events, --cards and --days must be positive");
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        long frauds;
        try (Writer writer = Files.newBufferedWriter(out)) {
            frauds = new CardTransactionGenerator(seed, cards, start, days).write(events, writer);
        }
        System.out.printf("wrote %d transactions (%d fraud, %d cards, %d days, seed %d) to %s%n", events, frauds, cards, days, seed, out);
        return 0;
    }
}
