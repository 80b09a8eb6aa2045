package org.scxjavaland.daemon;

import org.scxjavaland.core.sched.SchedulerRunner;
import org.scxjavaland.core.sched.StatsSnapshot;

/**
 * {@code --stats SECS}: one line per period, in the spirit of scx_rustland's. Runs on its own thread (a thread of
 * the daemon's process, so BPF dispatches it directly), never on the scheduling thread.
 */
final class StatsPrinter implements Runnable {
    private final SchedulerRunner runner;
    private final long periodMs;
    private final Thread thread;
    private volatile boolean stopped;

    private StatsPrinter(SchedulerRunner runner, int periodSecs) {
        this.runner = runner;
        this.periodMs = periodSecs * 1000L;
        this.thread = Thread.ofPlatform().daemon().name("scx-stats").unstarted(this);
    }

    static StatsPrinter start(SchedulerRunner runner, int periodSecs) {
        StatsPrinter p = new StatsPrinter(runner, periodSecs);
        p.thread.start();
        return p;
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    @Override
    public void run() {
        StatsSnapshot previous = null;
        while (!stopped) {
            try {
                Thread.sleep(periodMs);
            } catch (InterruptedException e) {
                return;
            }
            // Only once attached: a line printed while the attach is still under way would split its own one-time
            // allocation (method-handle customisation, ~38 KB) across two periods, and before it every counter is 0.
            StatsSnapshot now = runner.attached() ? runner.snapshot() : null;
            if (now != null) {
                System.out.println(now.line(previous));
                System.out.flush();
                previous = now;
            }
        }
    }
}
