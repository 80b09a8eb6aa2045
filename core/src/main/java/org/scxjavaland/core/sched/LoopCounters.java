package org.scxjavaland.core.sched;

/** Counters of the scheduling loop; written by the scheduling thread only, read racily by stats and metrics. */
public final class LoopCounters {
    /** The policy's decisions sent (not the tasks sent back to the shared queue: {@link #sent} counts both). */
    public long policyDecisions;
    /** Task records received (exit notices not included). */
    public long taskRecords;
    /** Every decision sent: the policy's, and the tasks sent back to the shared queue (at once or from overflow). */
    public long sent;
    /** Tasks sent straight back to the shared queue because the policy could not hold them. */
    public long bouncedToShared;
    /** Exit notices received. */
    public long exitNotices;
    /** Loop iterations that slept. */
    public long idleWaits;
    /** Tasks parked in the overflow buffer because the channel to the kernel was full when they came back. */
    public long overflowParked;
}
