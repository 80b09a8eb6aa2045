package org.scxjavaland.daemon;

import org.scxjavaland.core.sched.LoopHistograms;
import org.scxjavaland.core.sched.LogLinearHistogram;
import org.scxjavaland.core.sched.ObserveSnapshot;
import org.scxjavaland.core.sched.SchedulerRunner;
import org.scxjavaland.core.sched.Stat;
import org.scxjavaland.core.sched.StatsSnapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;

/**
 * The hidden {@code --ab-stats FILE} of run and observe: what {@code scx_javaland ab} needs from the daemon it
 * measures, as one JSON line appended every {@link #PERIOD_MS} ms. The driver reads /proc and the syscall counter
 * itself the moment a new line appears, so each line is a time stamp for those readings as well. A thread of its
 * own, never the scheduling thread: a file write may wait on a task that only the scheduling thread can schedule.
 * <p>
 * Fields: {@code t_ns} (CLOCK_MONOTONIC), {@code attached}, {@code policy} (the name of the policy this daemon runs,
 * so that the driver reports what ran, not what it asked for), {@code sched_tid} (the scheduling thread, for its
 * /proc/PID/task/TID/stat), {@code received} (records taken), {@code alloc_bytes} (heap bytes every thread of the
 * process allocated so far), {@code lat} ("dispatch": the loop's enqueue-to-decision histogram; "observe": BPF's
 * record-to-drain histogram; both in the log-linear buckets of intf.h) and {@code lat_counts} (cumulative counts per
 * bucket).
 */
final class AbStatsWriter implements Runnable {
    static final long PERIOD_MS = 100;

    private final SchedulerRunner runner;
    private final FileChannel out;
    private final int schedTid;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Thread thread;
    private volatile boolean stopped;

    private AbStatsWriter(SchedulerRunner runner, FileChannel out, int schedTid) {
        this.runner = runner;
        this.out = out;
        this.schedTid = schedTid;
        this.thread = Thread.ofPlatform().daemon().name("scx-ab-stats").unstarted(this);
    }

    /** Opens (truncates) {@code file} now, so that a path that cannot be written is a usage error before attaching. */
    static AbStatsWriter start(SchedulerRunner runner, Path file, int schedTid) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new IllegalArgumentException("--ab-stats " + file + ": cannot write: " + e.getMessage(), e);
        }
        AbStatsWriter w = new AbStatsWriter(runner, ch, schedTid);
        w.thread.start();
        return w;
    }

    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(1000);
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            StatsSnapshot s = runner.snapshot();
            if (s == null) continue;
            String line = line(s) + "\n";
            try {
                // One write of the whole line: the reader never sees half of one once it sees the newline.
                out.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                return;
            }
        }
    }

    private String line(StatsSnapshot s) {
        StringBuilder sb = new StringBuilder(2048);
        sb.append("{\"t_ns\":").append(System.nanoTime())
                .append(",\"attached\":").append(runner.attached())
                .append(",\"policy\":\"").append(runner.policyName()).append('"')
                .append(",\"sched_tid\":").append(schedTid)
                .append(",\"received\":").append(s.get(Stat.RECEIVED))
                .append(",\"alloc_bytes\":").append(threads.getTotalThreadAllocatedBytes());
        ObserveSnapshot o = s.observe();
        if (o != null) {
            sb.append(",\"lat\":\"observe\",\"lat_counts\":[");
            long[] h = o.latencyHist();
            for (int i = 0; i < h.length; i++) sb.append(i == 0 ? "" : ",").append(h[i]);
        } else {
            sb.append(",\"lat\":\"dispatch\",\"lat_counts\":[");
            LoopHistograms hs = runner.histograms();
            for (int i = 0; i < LogLinearHistogram.buckets(); i++) {
                sb.append(i == 0 ? "" : ",").append(hs.dispatchLatencyFine.count(i));
            }
        }
        return sb.append("]}").toString();
    }

    /** Whether {@code file}'s directory exists: checked with the other options, before anything is loaded. */
    static void requireWritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || Files.isDirectory(file)) {
            throw new IllegalArgumentException("--ab-stats " + file + ": not a file in an existing directory");
        }
    }
}
