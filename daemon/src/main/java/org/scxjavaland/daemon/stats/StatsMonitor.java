package org.scxjavaland.daemon.stats;

import org.scxjavaland.core.sched.Stat;
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
        StatsSnapshot.Builder b = StatsSnapshot.builder(str(m, "transport"), str(m, "policy"));
        for (Stat stat : Stat.values()) {
            if (stat.socketName() != null) b.set(stat, num(m, stat.socketName()));
        }
        return b.build().line(null);
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
