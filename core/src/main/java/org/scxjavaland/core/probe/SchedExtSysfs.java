package org.scxjavaland.core.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel's own view of sched_ext, /sys/kernel/sched_ext: whether the kernel has it, its state ("enabled",
 * "disabled", ...), the attached scheduler's name, its counters (enable_seq, nr_rejected, hotplug_seq) and the root
 * scheduler's event counters (SCX_EV_*) on kernels that have them. The one reader of that directory: {@code run}'s
 * preflight, {@code check}, the load's hotplug sequence and the metrics all go through it. Every read is fresh
 * (nothing is cached: the state changes under us) and none throws: what cannot be read is null, -1 or empty.
 */
public final class SchedExtSysfs {
    /** The directory on this machine. */
    public static final Path HOST_DIR = Path.of("/sys/kernel/sched_ext");

    private final Path dir;

    /** {@code dir} stands for /sys/kernel/sched_ext (a copy in tests). */
    public SchedExtSysfs(Path dir) {
        this.dir = dir;
    }

    public static SchedExtSysfs ofHost() {
        return new SchedExtSysfs(HOST_DIR);
    }

    /** The directory read, for messages. */
    public Path dir() {
        return dir;
    }

    /** Whether the kernel has sched_ext (built with CONFIG_SCHED_CLASS_EXT, sysfs mounted). */
    public boolean present() {
        return Files.isDirectory(dir);
    }

    /** "enabled", "disabled", "enabling", "disabling", "prepping"; null when absent or unreadable. */
    public String state() {
        return read("state");
    }

    /** The attached scheduler's ops name; null when none is attached or it cannot be read. */
    public String ops() {
        return read("root/ops");
    }

    /** switch_all: "1" when every task is sched_ext's; null when absent. */
    public String switchAll() {
        return read("switch_all");
    }

    /** A counter file (enable_seq, nr_rejected, hotplug_seq) as a number, -1 where absent or not a number. */
    public long number(String file) {
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
    public Map<String, Long> events() {
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

    /** An attribute, trimmed; null when absent, unreadable or empty. */
    private String read(String file) {
        try {
            String s = Files.readString(dir.resolve(file)).trim();
            return s.isEmpty() ? null : s;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
