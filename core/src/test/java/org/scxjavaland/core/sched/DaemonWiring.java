package org.scxjavaland.core.sched;

import org.scxjavaland.core.policy.CpuView;
import org.scxjavaland.core.policy.SchedulingPolicy;
import org.scxjavaland.core.transport.Transport;

/**
 * How {@link SchedulerRunner} wires the scheduling loop, and how long {@link SchedulingLoop#run} waits, for the
 * simulator (org.scxjavaland.core.sim), which runs the real loop one round at a time and must block its simulated
 * thread exactly as the loop would.
 */
public final class DaemonWiring {
    private DaemonWiring() {
    }

    /** The loop as SchedulerRunner.run builds it: the stats section is both the CPU view and the count sink. */
    public static <S extends CpuView & ScheduledCountSink> SchedulingLoop loop(Transport transport,
                                                                             SchedulingPolicy policy, S stats) {
        return new SchedulingLoop(transport, policy, stats, stats, SchedulerRunner.OVERFLOW_CAPACITY);
    }

    /** What SchedulingLoop.run passes to awaitWork after an idle round. */
    public static long awaitTimeoutNs(SchedulingPolicy policy) {
        return policy.queued() > 0 ? SchedulingLoop.BACKLOG_WAIT_NS : SchedulingLoop.IDLE_WAIT_NS;
    }
}
