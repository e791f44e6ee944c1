package io.tessera.jobs.lake;

import java.util.Map;

import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.rest.RESTCatalog;

/** The lake's Iceberg REST catalog as the command line sees it (no engine): for the platform's own tables. */
public final class LakeCatalog {

    public static final String NAME = "lake";

    private LakeCatalog() {
    }

    /** A client of the catalog at {@code uri}; close it when done. */
    public static RESTCatalog open(String uri) {
        RESTCatalog catalog = new RESTCatalog();
        catalog.initialize(NAME, Map.of(CatalogProperties.URI, uri, CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName()));
        return catalog;
    }
}
