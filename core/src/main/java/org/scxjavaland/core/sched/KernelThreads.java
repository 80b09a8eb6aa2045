package org.scxjavaland.core.sched;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds kernel threads that BPF must dispatch itself (their work may be what a faulting scheduler waits on). */
final class KernelThreads {
    private KernelThreads() {
    }

    /** The pid of khugepaged, or 0 when it does not run (THP off). */
    static int khugepagedPid() {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    if ("khugepaged".equals(Files.readString(p.resolve("comm")).trim())) {
                        return Integer.parseInt(p.getFileName().toString());
                    }
                } catch (IOException | NumberFormatException ignored) {
                    // the process went away while we looked
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }
}
