package org.scxjavaland.core.sched;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Page faults and heap allocation of the scheduling thread, readable from any thread: the two figures that must
 * stay at zero (a fault can deadlock the machine; an allocation eventually means a GC pause while tasks wait).
 */
public final class ThreadHealth {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long javaThreadId;
    private final Path statFile;
    private long faultsBase;
    private long allocBase;
    /**
     * Set after the bases, so a reader that sees it sees them. Until then both figures are 0: the thread's totals
     * would include start-up and the warm-up (tens of MB), and a Prometheus counter would then run backwards.
     */
    private volatile boolean counting;

    /** Call on the thread to watch. */
    public static ThreadHealth ofCurrentThread(int tid) {
        return new ThreadHealth(tid, Thread.currentThread().threadId());
    }

    private ThreadHealth(int tid, long javaThreadId) {
        this.javaThreadId = javaThreadId;
        this.statFile = Path.of("/proc/self/task/" + tid + "/stat");
    }

    /** From now on, count from zero. */
    public void baseline() {
        faultsBase = faults();
        allocBase = THREADS.getThreadAllocatedBytes(javaThreadId);
        counting = true;
    }

    public long faultsSinceBaseline() {
        if (!counting) return 0;
        long f = faults();
        return f < 0 ? -1 : f - faultsBase;
    }

    public long allocatedSinceBaseline() {
        if (!counting) return 0;
        long a = THREADS.getThreadAllocatedBytes(javaThreadId);
        return a < 0 ? -1 : a - allocBase;
    }

    /** minflt + majflt of the thread from /proc (fields 10 and 12), or -1 once the thread is gone. */
    private long faults() {
        try {
            String s = Files.readString(statFile);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state=0 ppid=1 ... minflt=7 cminflt=8 majflt=9
            return Long.parseLong(f[7]) + Long.parseLong(f[9]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
