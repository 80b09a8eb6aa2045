package org.scxjavaland.daemon.stats;

import org.scxjavaland.core.sched.StatsSnapshot;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code scx_javaland --monitor SECS}: reads a running daemon's scx_stats socket every SECS seconds and prints the
 * stats line, as scx_rustland's --monitor does. Waits (retrying every second) while no daemon serves the socket,
 * and reconnects when it goes away, so it can be started before the scheduler.
 */
public final class StatsMonitor {
    private final Path path;
    private final long periodMs;
    private final PrintStream out;
    private final PrintStream err;

    public StatsMonitor(Path path, double periodSecs, PrintStream out, PrintStream err) {
        this.path = path;
        this.periodMs = Math.max(1, Math.round(periodSecs * 1000));
        this.out = out;
        this.err = err;
    }

    /** Prints {@code maxLines} lines (forever when negative), then returns. */
    public void run(long maxLines) throws InterruptedException {
        long printed = 0;
        boolean saidWaiting = false;
        while (maxLines < 0 || printed < maxLines) {
            StatsClient connected;
            try {
                connected = StatsClient.connect(path);
            } catch (IOException e) { // no socket file, or nobody listening on it
                if (!saidWaiting) {
                    err.println("scx_javaland: no scheduler serves " + path + " yet (" + e.getMessage()
                            + "); retrying every second");
                    saidWaiting = true;
                }
                Thread.sleep(1000);
                continue;
            }
            try (StatsClient c = connected) {
                saidWaiting = false;
                while (maxLines < 0 || printed < maxLines) {
                    Thread.sleep(periodMs);
                    Object resp = c.request("stats", Map.of("target", "top"));
                    if (!(resp instanceof Map<?, ?> m)) throw new IOException("stats answer is not an object: " + resp);
                    out.println(line(m));
                    out.flush();
                    printed++;
                }
            } catch (IOException e) {
                err.println("scx_javaland: stats connection lost (" + e.getMessage() + "); reconnecting");
                Thread.sleep(1000);
            }
        }
    }

    /** The daemon's stats line from one answer; its counters are per period (per request). */
    static String line(Map<?, ?> m) {
        StatsSnapshot s = new StatsSnapshot(str(m, "transport"), str(m, "policy"),
                num(m, "nr_queued"), num(m, "nr_user_dispatches"), num(m, "nr_kernel_dispatches"),
                num(m, "nr_cancel_dispatches"), num(m, "nr_bounce_dispatches"), num(m, "nr_failed_dispatches"),
                num(m, "nr_sched_congested"), num(m, "nr_exit_notices_lost"), num(m, "nr_running"), num(m, "nr_cpus"),
                0, num(m, "nr_preempt_kicks"), num(m, "nr_kept_running"), num(m, "nr_idle_claim_lost"),
                num(m, "nr_scheduled"), num(m, "nr_received"), num(m, "nr_decisions_refused"), 0, 0,
                num(m, "nr_arena_failures"), num(m, "nr_tasks_tracked"), num(m, "nr_exited"), num(m, "nr_page_faults"),
                num(m, "sched_alloc_bytes"), num(m, "runnable_weight"), num(m, "vtime_now"),
                num(m, "nr_direct_wakeups"), num(m, "nr_idle_while_waiting"), num(m, "nr_resumed"), num(m, "nr_requeued"),
                num(m, "nr_reused_pids"), num(m, "nr_late_exit_notices"), num(m, "nr_reclaimed"));
        return s.line(null);
    }

    private static long num(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null || v.toString().isEmpty() ? "-" : v.toString();
    }

    /** {@code --help-stats}. */
    public static String describe() {
        return StatsStruct.describe();
    }
}
