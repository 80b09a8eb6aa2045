package org.scxjavaland.core.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this process sees the kernel's own pids. The scheduler tells BPF who the daemon is by its tgid and its
 * scheduling thread's tid, and BPF compares them with {@code task_struct.pid}, which is always the host's. In a pid
 * namespace of its own (a container without {@code --pid=host}, {@code unshare --pid}) getpid() and gettid() give
 * other numbers: BPF would not know the daemon, would hand the scheduling thread's own wake-ups to the scheduling
 * thread, and every task would wait until the kernel's watchdog ejected the scheduler (review finding C15).
 * <p>
 * The test is the namespace's inode: the kernel's initial pid namespace has a fixed one, PROC_PID_INIT_INO
 * (0xEFFFFFFC, include/linux/proc_ns.h, since Linux 3.8); /proc/self/ns/pid names it as {@code pid:[4026531836]}.
 */
public final class PidNamespace {
    static final String INITIAL = "pid:[" + 0xEFFFFFFCL + "]";
    static final Path SELF = Path.of("/proc/self/ns/pid");

    private PidNamespace() {
    }

    /** Empty in the host's pid namespace, or where it cannot be read; otherwise why run cannot work here. */
    public static Optional<String> problem() {
        return problem(SELF);
    }

    /** {@link #problem()} for the namespace link {@code link} (/proc/self/ns/pid, or a test's symbolic link). */
    static Optional<String> problem(Path link) {
        String ns;
        try {
            ns = Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();   // no /proc to read: nothing known, nothing to refuse
        }
        if (ns.equals(INITIAL)) return Optional.empty();
        return Optional.of("this process is in a pid namespace of its own (" + ns + ", the host's is " + INITIAL
                + "), so its process and thread ids are not the ones the kernel's scheduler sees and it could not "
                + "tell its own threads from the tasks it schedules: run it in the host's pid namespace (on the "
                + "host, or in a container started with --pid=host)");
    }
}
