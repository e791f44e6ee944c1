package io.tessera.speed.lake;

import java.util.Map;

import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.flink.CatalogLoader;

/** The lake's Iceberg catalog as the speed layer sees it: the REST catalog shared with Spark and Trino. */
public final class LakeCatalogs {

    public static final String CATALOG = "lake";

    private LakeCatalogs() {
    }

    public static CatalogLoader rest(String catalogUri) {
        return CatalogLoader.rest(CATALOG, new org.apache.hadoop.conf.Configuration(), Map.of(CatalogProperties.URI, catalogUri));
    }
}
