package org.scxjavaland.core.policy;

/** Counters of the policy; single writer (the scheduling thread), racy readers (stats, metrics). */
public final class PolicyCounters {
    /** Tasks the policy could not hold (arena exhausted) and sent back to the shared queue. */
    public long arenaFailures;
    /** Per-task states currently tracked. */
    public long tasksTracked;
    /** Exit notices processed. */
    public long exits;
    /**
     * Queued records that will never be decided: replaced by a newer record of the same task (the kernel enqueued it
     * again, so only the newer one can still be applied) or dropped when the task exited. The daemon's accounting
     * needs it: every record received is decided, superseded, or still held.
     */
    public long superseded;
    /**
     * Records of a task under a pid the policy knew as another task's (the uid differs): that task's exit notice was
     * lost or is late, and its state was dropped, not inherited.
     */
    public long reusedPids;
    /** Exit notices that came after another task took the pid (the uid differs): ignored. */
    public long lateExitNotices;
    /** Nodes taken back because the table was full and their tasks had been silent for long (DeadlinePolicy). */
    public long reclaimed;
}
