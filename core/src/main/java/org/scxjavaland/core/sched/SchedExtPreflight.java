package org.scxjavaland.core.sched;

import org.scxjavaland.core.probe.Privileges;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks that {@code run} can attach here, so that the user gets one clear line instead of a libbpf error. Cheaper
 * than {@code check}'s SystemProbe (no map probes, no libbpf), with the same privilege rule ({@link Privileges}).
 */
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
        List<String> missing = Privileges.ofThisProcess().missingForRun();
        if (!missing.isEmpty()) {
            return Optional.of("attaching a sched_ext scheduler needs root or " + String.join(", ", missing)
                    + ": run it with sudo");
        }
        String state = read(SCHED_EXT.resolve("state"));
        if (!"disabled".equals(state)) {
            String ops = read(SCHED_EXT.resolve("root/ops"));
            return Optional.of("another sched_ext scheduler is " + state
                    + (ops.isEmpty() ? "" : " (" + ops + ")") + ": stop it first");
        }
        return Optional.empty();
    }

    static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
