package io.tessera.batch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class IngestBranchTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void aBranchNamedByAnIngestIsRecognisedWithItsCreationTime() {
        String name = IngestBranch.name(SHA, 1_764_000_000_000L);

        assertThat(name).startsWith("ingest_0123456789ab_1764000000000_");
        assertThat(IngestBranch.of(name)).hasValue(new IngestBranch(name, OptionalLong.of(1_764_000_000_000L)));
    }

    @Test
    void theOlderNamingIsRecognisedWithoutOneAndOtherRefsAreNot() {
        assertThat(IngestBranch.of("ingest_0123456789ab_1a2b3c4d")).hasValue(new IngestBranch("ingest_0123456789ab_1a2b3c4d", OptionalLong.empty()));
        assertThat(IngestBranch.of("main")).isEmpty();
        assertThat(IngestBranch.of("model-v3")).isEmpty();
        assertThat(IngestBranch.of("ingest_nothex000000_1a2b3c4d")).isEmpty();
    }
}
