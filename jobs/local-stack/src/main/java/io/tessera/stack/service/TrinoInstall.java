package io.tessera.stack.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

import io.tessera.stack.Artifacts;
import io.tessera.stack.StackSettings;

/**
 * A Trino install assembled from Maven Central's full server tarball, keeping only the plugins we use.
 * The Cassandra plugin is published nowhere else (docs/stack.md, "Versions that work together"). Cached,
 * shared by every home, so a second start downloads and unpacks nothing.
 */
final class TrinoInstall {

    /** tpch: its built-in tables are what the readiness probe scans (docs/stack.md, "Trino readiness"). */
    private static final Set<String> PLUGINS = Set.of("iceberg", "cassandra", "tpch");

    private final StackSettings settings;
    private final Artifacts artifacts;

    TrinoInstall(StackSettings settings, Artifacts artifacts) {
        this.settings = settings;
        this.artifacts = artifacts;
    }

    /** The install folder, holding {@code lib/} and {@code plugin/}. */
    Path ensure() throws IOException {
        String version = artifacts.coordinates("trino.version");
        Path install = cacheDir().resolve("trino-server-" + version);
        Path complete = install.resolve(".complete");
        if (Files.exists(complete) && PLUGINS.stream().allMatch(plugin -> Files.isDirectory(install.resolve("plugin").resolve(plugin)))) {
            return install;
        }
        Path tarball = artifacts.file("trino");
        Path staging = cacheDir().resolve("trino-server-" + version + ".partial");
        deleteTree(staging);
        Files.createDirectories(staging);
        System.out.println("unpacking " + tarball.getFileName() + " (once; cached in " + cacheDir() + ")");
        // The tarball uses hard links across plugin folders, so extract it whole, then drop what we do not use.
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", staging.toString(), "--strip-components=1")
                .inheritIO().start();
        try {
            if (tar.waitFor() != 0) {
                throw new IOException("tar could not unpack " + tarball);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking Trino", e);
        }
        try (Stream<Path> plugins = Files.list(staging.resolve("plugin"))) {
            for (Path plugin : plugins.toList()) {
                if (!PLUGINS.contains(plugin.getFileName().toString())) {
                    deleteTree(plugin);
                }
            }
        }
        deleteTree(install);
        Files.move(staging, install);
        Files.writeString(complete, version + "\n");
        return install;
    }

    private Path cacheDir() {
        return settings.optional("cache.dir").map(Path::of).orElseGet(() -> Path.of(
                System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache"), "tessera"));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
