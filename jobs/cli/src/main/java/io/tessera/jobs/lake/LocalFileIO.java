package io.tessera.jobs.lake;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;

import org.apache.iceberg.Files;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * The lake's files on this machine's file system ({@code file:} locations, as the local catalog assigns
 * them), without Hadoop: Iceberg's default FileIO for a REST catalog falls back to Hadoop's, which the
 * command line does not carry. A lake in object storage takes that store's FileIO instead
 * ({@code io-impl}, e.g. {@code org.apache.iceberg.aws.s3.S3FileIO}).
 */
public final class LocalFileIO implements FileIO {

    private static final long serialVersionUID = 1L;

    @Override
    public InputFile newInputFile(String path) {
        return Files.localInput(file(path));
    }

    @Override
    public OutputFile newOutputFile(String path) {
        return Files.localOutput(file(path));
    }

    @Override
    public void deleteFile(String path) {
        if (!file(path).delete() && file(path).exists()) {
            throw new org.apache.iceberg.exceptions.RuntimeIOException("cannot delete " + path);
        }
    }

    private static File file(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)).toFile() : new File(location);
    }
}
