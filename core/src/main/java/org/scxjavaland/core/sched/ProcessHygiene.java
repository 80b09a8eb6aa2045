package org.scxjavaland.core.sched;

import org.scxjavaland.core.probe.Privileges;
import org.scxjavaland.sys.ErrnoException;
import org.scxjavaland.sys.LibC;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Makes the process safe to schedule others before it attaches. A user-space scheduler that page-faults while
 * tasks wait on it can deadlock the machine (the fault may need a kernel thread that only it can schedule), so every
 * page it has, and every page it will get, is locked in memory. The heap is fixed and pre-touched by the launcher's
 * JVM flags (-Xms = -Xmx, -XX:+AlwaysPreTouch); this class checks that they are in force and warns otherwise.
 *
 * <p>Nor may the kernel rework the process's memory behind its back: with transparent huge pages set to "always"
 * (Debian's kernels default to it), khugepaged collapses runs of small pages of any process into huge ones, and while
 * it copies it holds the process's memory-map lock for writing: a fault in that range, or anything in the JVM that
 * maps or protects memory, waits for it. In the VM the scheduling thread so waited 30 ms (state D, woken by khugepaged
 * when its collapse_huge_page finished) while every task waited for it (ftrace, 4 vCPUs, 2026-12-03,
 * docs/reliability.md). PR_SET_THP_DISABLE takes the whole process out of THP: khugepaged skips it, and no fault
 * allocates a huge page. Pages the JVM made huge before this runs stay as they are: already mapped, they cost nothing
 * later.
 */
public final class ProcessHygiene {
    private ProcessHygiene() {
    }

    public static void apply(Consumer<String> log) {
        try {
            LibC.prctl(LibC.PR_SET_THP_DISABLE, 1);
        } catch (ErrnoException e) {
            log.accept("warning: cannot take the daemon out of transparent huge pages (" + e.getMessage()
                    + "): khugepaged may stall it while it collapses the daemon's pages");
        }
        raiseMemlockLimit(Privileges.ofThisProcess().has(Privileges.CAP_IPC_LOCK)).ifPresent(log);
        LibC.mlockall(LibC.MCL_CURRENT | LibC.MCL_FUTURE);
        checkHeap(log);
    }

    /**
     * Lifts RLIMIT_MEMLOCK as far as this process may: to unlimited, which needs CAP_SYS_RESOURCE where the hard limit
     * is lower, else the soft limit up to the hard one. Returns a warning only when locking may then fail. Root in a
     * container or a sandbox often lacks CAP_SYS_RESOURCE but has CAP_IPC_LOCK, which locks memory past the limit
     * (and BPF maps are charged to the memory cgroup, not to this limit, on every kernel with sched_ext): warning
     * there, on every start, would cry wolf.
     */
    public static Optional<String> raiseMemlockLimit(boolean canLockPastLimit) {
        try {
            LibC.setrlimit(LibC.RLIMIT_MEMLOCK, LibC.RLIM_INFINITY, LibC.RLIM_INFINITY);
            return Optional.empty();
        } catch (ErrnoException unlimitedRefused) {
            LibC.RLimit limit = LibC.getrlimit(LibC.RLIMIT_MEMLOCK);
            if (limit.current() != limit.max()) {
                try {
                    LibC.setrlimit(LibC.RLIMIT_MEMLOCK, limit.max(), limit.max());
                } catch (ErrnoException e) {
                    // not expected (a soft limit may always rise to the hard one); the warning below still holds
                }
            }
            if (canLockPastLimit) return Optional.empty();
            return Optional.of("warning: RLIMIT_MEMLOCK stays at " + describe(limit.max()) + " ("
                    + unlimitedRefused.getMessage() + ") and this process lacks CAP_IPC_LOCK: locking the daemon's "
                    + "memory fails if it needs more (run as root with CAP_IPC_LOCK, or raise the limit: LimitMEMLOCK="
                    + "infinity in a systemd unit, ulimit -l unlimited in a shell)");
        }
    }

    private static String describe(long limit) {
        return limit == LibC.RLIM_INFINITY ? "unlimited" : limit / 1024 + " KiB";
    }

    private static void checkHeap(Consumer<String> log) {
        Runtime rt = Runtime.getRuntime();
        var args = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
        boolean preTouch = args.contains("-XX:+AlwaysPreTouch");
        if (rt.totalMemory() != rt.maxMemory() || !preTouch) {
            log.accept("warning: the heap is not fixed and pre-touched (use -Xms equal to -Xmx and "
                    + "-XX:+AlwaysPreTouch, as bin/scx_javaland does): the JVM may fault in heap pages later");
        }
    }
}
