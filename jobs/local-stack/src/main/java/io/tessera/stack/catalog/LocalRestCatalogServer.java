package io.tessera.stack.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.RESTCatalogServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * The lake's catalog on one machine: Iceberg's REST catalog protocol over a JDBC catalog in a SQLite file,
 * bound to one address. Iceberg's stock {@code RESTCatalogServer} binds every interface and keeps the
 * catalog in memory, hence this wrapper. Runs in its own JVM with {@code iceberg-open-api} on the classpath.
 *
 * <p>Arguments: {@code <host> <port> <sqlite file> <warehouse folder>}.
 */
public final class LocalRestCatalogServer {

    private LocalRestCatalogServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LocalRestCatalogServer <host> <port> <sqlite file> <warehouse folder>");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        Path database = Path.of(args[2]).toAbsolutePath();
        Path warehouse = Path.of(args[3]).toAbsolutePath();
        Files.createDirectories(database.getParent());
        Files.createDirectories(warehouse);

        Catalog catalog = CatalogUtil.buildIcebergCatalog("lake", Map.of(
                CatalogProperties.CATALOG_IMPL, JdbcCatalog.class.getName(),
                // Several engines commit at once: without a busy timeout SQLite answers SQLITE_BUSY
                // (docs/stack.md, "The cut between batch and speed"); see also SerializedWrites.
                CatalogProperties.URI, "jdbc:sqlite:" + database + "?busy_timeout=30000&journal_mode=WAL",
                // one connection: a pooled connection that read earlier keeps its old snapshot and its next
                // write fails with SQLITE_BUSY_SNAPSHOT (see SerializedWrites)
                CatalogProperties.CLIENT_POOL_SIZE, "1",
                // V1 adds views to the JDBC catalog's schema
                "jdbc.schema-version", "V1",
                CatalogProperties.WAREHOUSE_LOCATION, "file:" + warehouse),
                new Configuration());

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.addServlet(new ServletHolder(new SerializedWrites(new RESTCatalogAdapter(catalog))), "/*");
        server.setHandler(context);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
                ((AutoCloseable) catalog).close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        server.start();
        System.out.println("Iceberg REST catalog listening on http://" + host + ":" + port + ", catalog " + database
                + ", warehouse " + warehouse);
        server.join();
    }

    /**
     * The catalog's servlet with one write at a time. The JDBC catalog reads a table's pointer and then
     * updates it; under WAL, a connection whose snapshot predates another writer's commit fails at once
     * with SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out, and the client sees a 500 it cannot
     * retry (CommitStateUnknownException: three Flink sinks committing every checkpoint hit it within
     * minutes). SQLite takes one writer at a time anyway, so queueing writes here costs nothing.
     */
    static final class SerializedWrites extends RESTCatalogServlet {

        private static final long serialVersionUID = 1L;
        private final transient Object writes = new Object();

        SerializedWrites(RESTCatalogAdapter adapter) {
            super(adapter);
        }

        @Override
        protected void service(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response)
                throws jakarta.servlet.ServletException, java.io.IOException {
            String method = request.getMethod();
            if ("GET".equals(method) || "HEAD".equals(method)) {
                super.service(request, response);
                return;
            }
            synchronized (writes) {
                super.service(request, response);
            }
        }
    }
}
