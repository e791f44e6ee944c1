package io.tessera.batch.ingest;

import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The private branch an {@link IngestCommit} writes its rows on before it adds them to {@code main}:
 * {@code ingest_<first 12 hex digits of the file's SHA-256>_<creation time, epoch ms>_<random>}. The
 * commit removes it; one left behind is from an ingest that crashed, and {@code platform lake maintain}
 * removes it once it is older than any ingest runs. Branches named before the creation time was part of
 * the name ({@code ingest_<hash12>_<random>}) are recognised too, without a creation time.
 *
 * @param createdAt epoch milliseconds; empty for a branch of the older naming
 */
public record IngestBranch(String name, OptionalLong createdAt) {

    private static final Pattern NAME = Pattern.compile("ingest_[0-9a-f]{12}_(?:(\\d{13})_)?[0-9a-f]{1,8}");

    static String name(String marker, long createdAt) {
        return "ingest_" + marker.substring(0, 12) + "_" + createdAt + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** The ingest branch a ref of that name is, or empty if it is not one. */
    public static Optional<IngestBranch> of(String ref) {
        Matcher matcher = NAME.matcher(ref);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String created = matcher.group(1);
        return Optional.of(new IngestBranch(ref, created == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(created))));
    }
}
