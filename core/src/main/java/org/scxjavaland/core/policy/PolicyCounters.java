package org.scxjavaland.core.policy;

/** Counters of the policy; single writer (the scheduling thread), racy readers (stats, metrics). */
public final class PolicyCounters {
    /** Tasks the policy could not hold (arena exhausted) and sent back to the shared queue. */
    public long arenaFailures;
    /** Per-task states currently tracked. */
    public long tasksTracked;
    /** Exit notices processed. */
    public long exits;
}
