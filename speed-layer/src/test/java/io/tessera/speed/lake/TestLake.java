package io.tessera.speed.lake;

import io.tessera.stack.junit.TestStack;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.types.Types;

/** Test fixture: a table of the test's own in the stack's REST catalog, with two columns (card, amt). */
record TestLake(CatalogLoader loader, Catalog catalog, TableIdentifier table) {

    static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "card", Types.StringType.get()),
            Types.NestedField.required(2, "amt", Types.DoubleType.get()));

    static TestLake create(TestStack stack) {
        CatalogLoader loader = LakeCatalogs.rest(stack.icebergCatalogUri());
        Catalog catalog = loader.loadCatalog();
        Namespace namespace = Namespace.of(stack.namespace());
        ((SupportsNamespaces) catalog).createNamespace(namespace);
        TableIdentifier id = TableIdentifier.of(namespace, "events");
        catalog.createTable(id, SCHEMA);
        return new TestLake(loader, catalog, id);
    }
}
