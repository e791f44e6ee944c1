package io.tessera.speed.job;

import io.tessera.featurestore.contract.EpochBuckets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The speed layer's folder for one pipeline ({@code <home>/speed/<pipeline>}): Flink's retained
 * checkpoints and savepoints, and the generation they belong to. A start restores from the newest
 * complete one, checkpoint or savepoint (restoring from an older one would commit replayed events twice:
 * docs/stack.md, "The cut between batch and speed"), under the generation recorded beside it.
 */
public final class SpeedState {

    private final Path dir;

    public SpeedState(Path dir) {
        this.dir = dir;
    }

    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    public Path savepoints() {
        return dir.resolve("savepoints");
    }

    /** The newest complete checkpoint or savepoint (a folder holding {@code _metadata}), if any. */
    public Optional<Path> latestRestorePoint() {
        return Stream.of(checkpoints(), savepoints()).filter(Files::isDirectory).flatMap(SpeedState::metadataFiles)
                .max(Comparator.comparingLong(SpeedState::modified)).map(Path::getParent);
    }

    /** The generation the restore points belong to; empty before the first start. */
    public OptionalLong generation() {
        Path file = dir.resolve("generation");
        if (!Files.isRegularFile(file)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " does not hold a generation number: remove the folder " + dir
                    + " to start without state", e);
        }
    }

    /** The epochs per bucket of the recorded generation; one (no merging) for a generation begun before buckets. */
    public EpochBuckets buckets() {
        Path file = dir.resolve("bucket-epochs");
        if (!Files.isRegularFile(file)) {
            return EpochBuckets.SINGLE;
        }
        try {
            return new EpochBuckets(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " does not hold a number of epochs: remove the folder " + dir
                    + " to start without state", e);
        }
    }

    /**
     * Records a new generation and its buckets (kept for as long as it runs: {@link EpochBuckets}), and moves
     * the restore points of the previous one aside (they must not be restored into it).
     */
    public void beginGeneration(long generation, EpochBuckets buckets) {
        try {
            Files.createDirectories(dir);
            for (Path old : new Path[] {checkpoints(), savepoints()}) {
                if (Files.isDirectory(old)) {
                    Files.move(old, dir.resolve(old.getFileName() + ".before-generation-" + generation));
                }
            }
            Files.writeString(dir.resolve("bucket-epochs"), buckets.epochs() + "\n");
            Files.writeString(dir.resolve("generation"), generation + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> metadataFiles(Path root) {
        try (Stream<Path> files = Files.walk(root, 3)) {
            return files.filter(file -> file.getFileName().toString().equals("_metadata")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
