package org.scxjavaland.core.testing;

import org.scxjavaland.sys.Bpf;
import org.scxjavaland.sys.ErrnoException;
import org.scxjavaland.sys.LibC;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Guards for tests that need real BPF: they skip (JUnit assumption, with the reason) for a developer without
 * root, and run in CI, which runs as root.
 */
public final class BpfTestSupport {
    private static volatile String unavailable; // null = not probed yet, "" = BPF works
    private static final String WORKS = "";

    private BpfTestSupport() {
    }

    /** Skips the calling test unless we are root and the kernel lets us create a BPF ring buffer map. */
    public static void assumeBpf() {
        String why = probe();
        assumeTrue(why.isEmpty(), () -> "needs root and BPF: " + why);
    }

    /** Whether {@link #assumeBpf()} would let a test run. */
    public static boolean bpfAvailable() {
        return probe().isEmpty();
    }

    private static String probe() {
        String u = unavailable;
        if (u != null) return u;
        synchronized (BpfTestSupport.class) {
            if (unavailable != null) return unavailable;
            if (LibC.geteuid() != 0) {
                unavailable = "not running as root (euid " + LibC.geteuid() + ")";
            } else {
                try {
                    LibC.close(Bpf.mapCreate(Bpf.MAP_TYPE_RINGBUF, 0, 0, LibC.pageSize(), 0, "scx_jl_probe"));
                    unavailable = WORKS;
                } catch (ErrnoException e) {
                    unavailable = e.getMessage();
                }
            }
            return unavailable;
        }
    }
}
