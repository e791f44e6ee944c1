package io.tessera.batch.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What is checked of a file before Spark reads it: that it is a text file (no NUL byte in its first
 * {@value #SNIFF_BYTES} bytes: an image, an archive or a Parquet file is refused whole rather than
 * quarantined line by line), its CSV header line (strict UTF-8), and its SHA-256, the ingest's id.
 */
record IngestFile(Path path, String sha256, Optional<String> csvHeader) {

    static final int SNIFF_BYTES = 64 * 1024;

    /**
     * @param csv whether the file is CSV (its first line is then the header, required)
     * @throws UnreadableFileException if the file is missing, binary, or a CSV file without a readable header
     */
    static IngestFile check(Path file, boolean csv) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UnreadableFileException(file + ": no such file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        }
        int line = 1;
        for (int i = 0; i < head.length; i++) {
            if (head[i] == 0) {
                throw new UnreadableFileException(file + ": line " + line + ", byte offset " + i
                        + ": a NUL byte; this is not a text file (expected CSV or JSON lines)");
            }
            if (head[i] == '\n') {
                line++;
            }
        }
        Optional<String> header = Optional.empty();
        if (csv) {
            header = Optional.of(header(file, head));
        }
        return new IngestFile(file, sha256(file), header);
    }

    private static String header(Path file, byte[] head) {
        if (head.length == 0) {
            throw new UnreadableFileException(file + ": the file is empty; a CSV file needs a header line");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte b : head) {
            if (b == '\n' || b == '\r') {
                break;
            }
            bytes.write(b);
        }
        if (bytes.size() == head.length && head.length == SNIFF_BYTES) {
            throw new UnreadableFileException(file + ": line 1: no end of line in the first " + SNIFF_BYTES
                    + " bytes; a CSV header is one line of column names");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
            if (text.isBlank()) {
                throw new UnreadableFileException(file + ": line 1, byte offset 0: the CSV header line is blank");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new UnreadableFileException(file + ": line 1, byte offset " + Utf8.firstInvalidByte(bytes.toByteArray())
                    + ": the CSV header is not valid UTF-8 text");
        }
    }

    private static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
