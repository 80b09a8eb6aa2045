package org.scxjavaland.core.sched;

import org.scxjavaland.core.sys.ErrnoException;
import org.scxjavaland.core.sys.LibC;

import java.util.function.Consumer;

/**
 * Makes the process safe to schedule others before it attaches. A user-space scheduler that page-faults while
 * tasks wait on it can deadlock the machine (the fault may need a kernel thread that only it can schedule), so every
 * page it has, and every page it will get, is locked in memory. The heap is fixed and pre-touched by the launcher's
 * JVM flags (-Xms = -Xmx, -XX:+AlwaysPreTouch); this class checks that they are in force and warns otherwise.
 */
public final class ProcessHygiene {
    private ProcessHygiene() {
    }

    public static void apply(Consumer<String> log) {
        try {
            LibC.setrlimit(LibC.RLIMIT_MEMLOCK, LibC.RLIM_INFINITY, LibC.RLIM_INFINITY);
        } catch (ErrnoException e) {
            log.accept("warning: could not raise RLIMIT_MEMLOCK (" + e.getMessage() + "); locking memory may fail");
        }
        LibC.mlockall(LibC.MCL_CURRENT | LibC.MCL_FUTURE);
        checkHeap(log);
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
