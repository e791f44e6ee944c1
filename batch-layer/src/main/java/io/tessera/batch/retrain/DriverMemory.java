package io.tessera.batch.retrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The driver's peak resident memory, as the kernel counts it (in local mode the driver runs the executors too). */
final class DriverMemory {

    private DriverMemory() {
    }

    /** {@code VmHWM} of this process in MB, or -1 where /proc is not there. */
    static long peakResidentMegabytes() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
                    .findFirst().orElse(-1);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
