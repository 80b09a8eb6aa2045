package org.scxjavaland.daemon;

import org.scxjavaland.core.sched.StopSignal;
import org.scxjavaland.sys.LibC;
import org.scxjavaland.sys.RUsage;

import java.lang.management.ManagementFactory;

/**
 * A loop's stop signal that also measures the scheduling thread from the thread itself (getrusage with RUSAGE_THREAD
 * only sees the calling thread): heap bytes allocated and page faults taken between {@link #requestMeasure()} and
 * {@link #requestStop()}. The loop calls it once per iteration; allocation-free. Used by the host tests of the
 * scheduling thread under {@code run}'s harness and under {@code observe}.
 */
final class SchedThreadMeasure implements StopSignal {
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final RUsage rusage = new RUsage();
    private volatile int phase; // 0 running, 1 measure requested, 2 measuring, 3 stop requested, 4 stopped
    long allocated;
    long minflt;
    long majflt;

    /** Starts measuring at the loop's next iteration, and returns once it has. */
    void requestMeasure() throws InterruptedException {
        phase = 1;
        while (phase == 1) Thread.sleep(1);
    }

    /** Ends the measurement (if one runs) and stops the loop at its next iteration. */
    void requestStop() {
        if (phase < 3) phase = 3;
    }

    @Override
    public boolean shouldStop() {
        int p = phase;
        if (p == 1) {
            rusage.read(LibC.RUSAGE_THREAD);
            minflt = -rusage.minflt;
            majflt = -rusage.majflt;
            allocated = -MX.getCurrentThreadAllocatedBytes();
            phase = 2;
        } else if (p == 3) {
            allocated += MX.getCurrentThreadAllocatedBytes();
            rusage.read(LibC.RUSAGE_THREAD);
            minflt += rusage.minflt;
            majflt += rusage.majflt;
            phase = 4;
            return true;
        }
        return p == 4;
    }
}
