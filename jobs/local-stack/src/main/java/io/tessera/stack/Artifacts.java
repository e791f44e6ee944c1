package io.tessera.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Fetches the servers' artifacts from Maven Central into the local Maven repository (the same cache
 * Maven uses, so a second start downloads nothing), with a progress display for large downloads.
 *
 * <p>Coordinates come from {@code versions.properties}, filled from the parent pom at build time.
 */
public final class Artifacts {

    private static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    private final RepositorySystem system;
    private final DefaultRepositorySystemSession session;
    private final List<RemoteRepository> repositories;
    private final Properties versions;

    public Artifacts(PrintStream out) {
        this.system = new RepositorySystemSupplier().get();
        this.session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(system.newLocalRepositoryManager(session, new LocalRepository(localRepository().toFile())));
        session.setTransferListener(new DownloadProgress(out));
        this.repositories = List.of(new RemoteRepository.Builder("central", "default",
                System.getProperty("tessera.maven.central", CENTRAL)).build());
        this.versions = loadVersions();
    }

    /** Maven's local repository: {@code -Dmaven.repo.local} if set, else {@code ~/.m2/repository}. */
    public static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** The Maven coordinates pinned for {@code key} in versions.properties. */
    public String coordinates(String key) {
        String value = versions.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("no pinned artifact '" + key + "' in versions.properties");
        }
        return value;
    }

    /** The runtime classpath of the pinned artifacts, transitive dependencies included. */
    public List<Path> classpath(String... keys) throws IOException {
        CollectRequest collect = new CollectRequest();
        collect.setRepositories(repositories);
        for (String key : keys) {
            collect.addDependency(new Dependency(new DefaultArtifact(coordinates(key)), JavaScopes.RUNTIME));
        }
        DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        try {
            return system.resolveDependencies(session, request).getArtifactResults().stream()
                    .map(ArtifactResult::getArtifact)
                    .map(artifact -> artifact.getFile().toPath())
                    .toList();
        } catch (DependencyResolutionException e) {
            throw new IOException("cannot resolve " + String.join(", ", keys) + " from Maven Central: " + e.getMessage(), e);
        }
    }

    /** One pinned artifact file, no dependencies (a server tarball, say). */
    public Path file(String key) throws IOException {
        ArtifactRequest request = new ArtifactRequest(new DefaultArtifact(coordinates(key)), repositories, null);
        try {
            return system.resolveArtifact(session, request).getArtifact().getFile().toPath();
        } catch (ArtifactResolutionException e) {
            throw new IOException("cannot fetch " + coordinates(key) + " from Maven Central: " + e.getMessage(), e);
        }
    }

    private static Properties loadVersions() {
        Properties properties = new Properties();
        try (InputStream in = Artifacts.class.getResourceAsStream("versions.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
