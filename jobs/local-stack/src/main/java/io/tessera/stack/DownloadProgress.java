package io.tessera.stack;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.transfer.TransferResource;

/**
 * Shows downloads: a progress bar for large files on a terminal, one line per file otherwise (CI logs).
 * Small files (poms, checksums) are counted silently; the first start fetches hundreds of them.
 */
final class DownloadProgress extends AbstractTransferListener {

    private static final long LARGE = 5L * 1024 * 1024;

    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private final Map<TransferResource, ProgressBar> bars = new ConcurrentHashMap<>();

    DownloadProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void transferStarted(TransferEvent event) {
        TransferResource resource = event.getResource();
        if (resource.getContentLength() < LARGE) {
            return;
        }
        if (terminal) {
            bars.put(resource, new ProgressBarBuilder()
                    .setTaskName("fetch " + resource.getResourceName().replaceAll(".*/", ""))
                    .setInitialMax(resource.getContentLength())
                    .setUnit("MB", 1024 * 1024)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
                    .build());
        } else {
            out.printf("fetching %s (%d MB) from Maven Central%n", resource.getResourceName(), resource.getContentLength() >> 20);
        }
    }

    @Override
    public void transferProgressed(TransferEvent event) {
        ProgressBar bar = bars.get(event.getResource());
        if (bar != null) {
            bar.stepTo(event.getTransferredBytes());
        }
    }

    @Override
    public void transferSucceeded(TransferEvent event) {
        close(event);
    }

    @Override
    public void transferFailed(TransferEvent event) {
        close(event);
        if (event.getResource().getContentLength() >= LARGE) {
            out.println("download failed: " + event.getResource().getResourceName() + ": " + event.getException());
        }
    }

    private void close(TransferEvent event) {
        ProgressBar bar = bars.remove(event.getResource());
        if (bar != null) {
            bar.stepTo(event.getTransferredBytes());
            bar.close();
        }
    }
}
