package org.scxjavaland.core.sched;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Checks that {@code run} can attach here, so that the user gets one clear line instead of a libbpf error. */
public final class SchedExtPreflight {
    static final Path SCHED_EXT = Path.of("/sys/kernel/sched_ext");

    private SchedExtPreflight() {
    }

    /** Empty when attaching can work; otherwise the reason, with what to do instead. */
    public static Optional<String> check() {
        if (!Files.isDirectory(SCHED_EXT)) {
            return Optional.of("this kernel (" + System.getProperty("os.version") + ") has no sched_ext "
                    + "(/sys/kernel/sched_ext is missing): run on a kernel built with CONFIG_SCHED_CLASS_EXT=y "
                    + "(Linux 6.12+), or use 'make run', which boots one in a VM; 'scx_javaland check' shows what "
                    + "this machine supports");
        }
        if (!isRoot()) {
            return Optional.of("attaching a sched_ext scheduler needs root (CAP_SYS_ADMIN and CAP_BPF): run it with sudo");
        }
        String state = read(SCHED_EXT.resolve("state"));
        if (!"disabled".equals(state)) {
            String ops = read(SCHED_EXT.resolve("root/ops"));
            return Optional.of("another sched_ext scheduler is " + state
                    + (ops.isEmpty() ? "" : " (" + ops + ")") + ": stop it first");
        }
        return Optional.empty();
    }

    public static String state() {
        return read(SCHED_EXT.resolve("state"));
    }

    public static String ops() {
        return read(SCHED_EXT.resolve("root/ops"));
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return "0".equals(line.split("\\s+")[2]); // effective uid
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
