package io.tessera.stack.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.tessera.stack.Artifacts;
import io.tessera.stack.JavaRuntimes;
import io.tessera.stack.JvmCommand;
import io.tessera.stack.Launch;
import io.tessera.stack.LocalService;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;
import io.tessera.stack.catalog.LocalRestCatalogServer;

/** The lake's Iceberg REST catalog (SQLite-backed) shared by Spark, Flink and Trino. */
public final class IcebergCatalog implements LocalService {

    private final StackSettings settings;
    private final int port;

    public IcebergCatalog(StackSettings settings) {
        this.settings = settings;
        this.port = settings.port("iceberg.port");
    }

    @Override
    public ServiceName name() {
        return ServiceName.ICEBERG_CATALOG;
    }

    @Override
    public String address() {
        return settings.icebergCatalogUri() + " (warehouse " + settings.warehouse() + ")";
    }

    @Override
    public List<Integer> ports() {
        return List.of(port);
    }

    @Override
    public Launch prepare(Artifacts artifacts) throws IOException {
        Path dir = settings.serviceDir(name());
        java.nio.file.Files.createDirectories(dir);
        Path ownCode = codeSourceOf(LocalRestCatalogServer.class);
        return new Launch(JvmCommand.java(JavaRuntimes.java(17, 23, settings.optional("java17.home"), "java17.home"))
                .options(List.of("-Xms64m", "-Xmx512m"))
                .classpath(List.of(artifacts.file("iceberg.catalog"), ownCode))
                .main(LocalRestCatalogServer.class.getName(), StackSettings.BIND_HOST, Integer.toString(port),
                        dir.resolve("catalog.sqlite").toString(), settings.warehouse().toString())
                .build(), dir);
    }

    @Override
    public boolean isReady() {
        return Probes.httpGet(settings.icebergCatalogUri() + "/v1/config") != null;
    }

    private static Path codeSourceOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
