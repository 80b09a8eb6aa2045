package org.scxjavaland.core.sched;

/**
 * How a run ended.
 *
 * @param stopReason what ended it on our side ("signal", "duration") or "kernel"
 */
public record RunResult(ExitInfo exit, String stopReason, StatsSnapshot stats, int restarts) {
    /** 1 when the kernel ejected the scheduler with an error; 0 for every orderly stop. */
    public int exitCode() {
        return exit.isError() ? 1 : 0;
    }

    public String exitLine() {
        return "exit: " + exit.describe() + " (stopped by " + stopReason + ")";
    }

    /** The last line the daemon prints on stdout; scripts and the VM tests parse it. */
    public String summaryLine() {
        StatsSnapshot s = stats;
        return "summary: transport=" + s.transport()
                + " policy=" + s.policy()
                + " user_dispatches=" + s.userDispatches()
                + " kernel_dispatches=" + s.kernelDispatches()
                + " direct_wakeups=" + s.directWakeups()
                + " idle_while_waiting=" + s.idleWhileWaiting()
                + " queued=" + s.nrQueued()
                + " received=" + s.received()
                + " exits=" + s.exits()
                + " cancel=" + s.cancelDispatches()
                + " bounce=" + s.bounceDispatches()
                + " preempt_kicks=" + s.preemptKicks()
                + " kept_running=" + s.keptRunning()
                + " resumed=" + s.resumed()
                + " requeued=" + s.requeued()
                + " idle_claim_lost=" + s.idleClaimLost()
                + " congested=" + s.congested()
                + " arena_failures=" + s.arenaFailures()
                + " reused_pids=" + s.reusedPids()
                + " late_exit_notices=" + s.lateExitNotices()
                + " reclaimed=" + s.reclaimed()
                + " page_faults=" + s.pageFaults()
                + " alloc_bytes=" + s.allocatedBytes()
                + " restarts=" + restarts
                + " exit_kind=" + exit.kind()
                + (s.observe() == null ? "" : s.observe().summary());
    }
}
