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
                + s.summaryFields()
                + " restarts=" + restarts
                + " exit_kind=" + exit.kind()
                + (s.observe() == null ? "" : s.observe().summary());
    }
}
