package org.scxjavaland.core.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The effective uid and capability set of this process, from /proc/self/status (Uid, CapEff).
 *
 * @param euid         effective uid, -1 when unknown
 * @param capEff       the effective capability mask, -1 when unknown
 * @param source       where the facts came from, or why they are unknown
 */
public record Privileges(int euid, long capEff, String source) {
    public static final int CAP_IPC_LOCK = 14;
    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_SYS_RESOURCE = 24;
    public static final int CAP_PERFMON = 38;
    public static final int CAP_BPF = 39;

    public boolean known() {
        return capEff != -1;
    }

    public boolean has(int cap) {
        return known() && (capEff & (1L << cap)) != 0;
    }

    /**
     * What attaching the scheduler needs: CAP_SYS_ADMIN for sched_ext, which the kernel also accepts in place of
     * CAP_BPF (maps, programs) and CAP_PERFMON (struct_ops programs read kernel memory). Empty when all is there.
     */
    public List<String> missingForRun() {
        List<String> missing = new ArrayList<>();
        if (!known()) {
            missing.add("capabilities unknown (" + source + ")");
            return missing;
        }
        if (!has(CAP_SYS_ADMIN)) missing.add("CAP_SYS_ADMIN");
        if (!has(CAP_BPF) && !has(CAP_SYS_ADMIN)) missing.add("CAP_BPF");
        if (!has(CAP_PERFMON) && !has(CAP_SYS_ADMIN)) missing.add("CAP_PERFMON");
        return missing;
    }

    /**
     * What the observer needs: CAP_BPF (maps, programs) and CAP_PERFMON (tracing programs read kernel memory), each
     * of which CAP_SYS_ADMIN also grants; no sched_ext, so not CAP_SYS_ADMIN itself. Empty when all is there.
     */
    public List<String> missingForObserve() {
        List<String> missing = new ArrayList<>();
        if (!known()) {
            missing.add("capabilities unknown (" + source + ")");
            return missing;
        }
        if (!has(CAP_BPF) && !has(CAP_SYS_ADMIN)) missing.add("CAP_BPF");
        if (!has(CAP_PERFMON) && !has(CAP_SYS_ADMIN)) missing.add("CAP_PERFMON");
        return missing;
    }

    /** Reads /proc/self/status; in a chroot without /proc the facts are unknown and say so. */
    public static Privileges ofThisProcess() {
        return parse(Path.of("/proc/self/status"));
    }

    static Privileges parse(Path status) {
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException e) {
            return new Privileges(-1, -1, "cannot read " + status + ": " + e.getMessage() + " (is /proc mounted?)");
        }
        int euid = -1;
        long capEff = -1;
        for (String line : lines) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                if (f.length > 1) euid = parseIntOr(f[1]);
            } else if (line.startsWith("CapEff:")) {
                try {
                    capEff = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                } catch (NumberFormatException e) {
                    capEff = -1;
                }
            }
        }
        return new Privileges(euid, capEff, capEff == -1 ? "no CapEff line in " + status : status.toString());
    }

    private static int parseIntOr(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
