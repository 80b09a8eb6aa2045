package org.scxjavaland.daemon.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel's own view of sched_ext, from /sys/kernel/sched_ext: the state ("enabled", "disabled", ...), the
 * attached scheduler's name, how many times a scheduler was enabled, tasks rejected, and the root scheduler's
 * event counters (SCX_EV_*: fallbacks, bypasses, ...) on kernels that have them. Read at scrape time.
 */
final class SchedExtSysfs {
    static final Path DEFAULT_ROOT = Path.of("/sys/kernel/sched_ext");
    static final String ABSENT = "absent";

    private final Path root;

    SchedExtSysfs(Path root) {
        this.root = root;
    }

    /** "enabled", "disabled", "enabling", "disabling", "prepping", or {@link #ABSENT} without sched_ext. */
    String state() {
        String s = read("state");
        return s == null ? ABSENT : s;
    }

    /** The attached scheduler's ops name, "" when none. */
    String ops() {
        String s = read("root/ops");
        return s == null ? "" : s;
    }

    /** A counter file (enable_seq, nr_rejected, hotplug_seq) as a number, -1 where absent. */
    long number(String file) {
        String s = read(file);
        if (s == null) return -1;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The root scheduler's events: one "SCX_EV_NAME value" per line (a colon after the name is accepted too); empty
     * when no scheduler is attached or the kernel has no events file.
     */
    Map<String, Long> events() {
        Map<String, Long> m = new LinkedHashMap<>();
        String s = read("root/events");
        if (s == null) return m;
        for (String line : s.split("\n")) {
            String[] f = line.replace(':', ' ').trim().split("\\s+");
            if (f.length != 2) continue;
            try {
                m.put(f[0], Long.parseLong(f[1]));
            } catch (NumberFormatException ignored) {
                // not an event line
            }
        }
        return m;
    }

    private String read(String file) {
        try {
            return Files.readString(root.resolve(file)).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
