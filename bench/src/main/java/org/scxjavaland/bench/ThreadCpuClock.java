package org.scxjavaland.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The benchmark thread's CPU time per iteration and the operations it did, reported by JMH next to the wall-clock
 * score (secondary metrics cpuNs and ops). On a machine shared with other busy processes the wall clock also counts
 * the time the thread was not running; cpuNs / ops does not.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ThreadCpuClock {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** CPU time of the benchmark thread during the iteration, ns. */
    public long cpuNs;
    /** Benchmark invocations during the iteration. */
    public long ops;
    private long start;

    @Setup(Level.Iteration)
    public void start() {
        ops = 0;
        cpuNs = 0;
        start = MX.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void stop() {
        cpuNs = MX.getCurrentThreadCpuTime() - start;
    }
}
