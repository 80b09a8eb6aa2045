package org.scxjavaland.daemon.ab;

import org.scxjavaland.daemon.stats.Json;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One round of ab: a fresh daemon (run or observe, one transport) in a child process, the workload started once
 * the daemon is attached, a settle period, then a measured window, then SIGINT and the daemon's exit checked.
 * <p>
 * The child writes its counters (records taken, heap bytes, the latency histogram) as a JSON line every 100 ms
 * ({@code --ab-stats}); at each end of the window this waits for a fresh line and reads, right then, the child's
 * /proc figures and the syscall counter, so all readings of one end lie within a few ms of each other.
 */
public final class DaemonRound {
    /** Time for a daemon to start and attach: JVM start, the harness warm-up (at most 20 s), loading BPF; ~100 s under the VM's emulation. */
    static final long ATTACH_TIMEOUT_MS = 300_000;
    static final long STOP_TIMEOUT_MS = 30_000;

    /** The readings at one end of the window. */
    record Sample(long tNs, long received, long allocBytes, long[] latCounts, String latKind, long schedTid,
                  ProcStat process, ProcStat schedThread, SyscallCounter.Counts syscalls) {
    }

    /** What one round measured. */
    public record Result(String transport, String policy, double seconds, long tasks, double tasksPerS, double cpuNsPerTask,
                         double schedThreadCpuNsPerTask, double syscallsPerTask, double bpfCallsPerTask,
                         double heapBytesPerTask, double pageFaultsPerTask, String latKind, long[] latCounts,
                         double latP50, double latP99, double latP999, String workloadMetric,
                         List<Double> workloadResults) {
    }

    /** A round that could not be measured: the daemon failed, never attached, or the workload failed. */
    public static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }

    private DaemonRound() {
    }

    /**
     * @param daemon   the child's command line without --ab-stats
     * @param policy   the policy the daemon was told to run: a round whose daemon says it runs another fails
     * @param progress a progress line ("starting", "measuring 3/10 s")
     */
    public static Result measure(List<String> daemon, String transport, String policy, Workload workload,
                                 SyscallCounter counter,
                                 Path dir, String tag, double settleSecs, double durationSecs,
                                 Consumer<String> progress) throws IOException, InterruptedException {
        Path stats = dir.resolve(tag + ".jsonl");
        Path log = dir.resolve(tag + ".log");
        Files.deleteIfExists(stats);
        List<String> cmd = new ArrayList<>(daemon);
        cmd.add("--ab-stats");
        cmd.add(stats.toString());
        progress.accept("starting the daemon");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean stoppedBySigint = false;
        try {
            counter.target(p.pid());
            String running = awaitAttached(p, stats, log);
            if (!policy.equals(running)) {
                throw new Failed("the " + transport + " daemon runs policy '" + running + "', not '" + policy + "'");
            }
            progress.accept("attached; workload running, settling");
            workload.start();
            sleepWatching(p, log, workload, (long) (settleSecs * 1000));
            Sample s0 = sample(p, stats, log, counter);
            long start = System.nanoTime();
            long windowNs = (long) (durationSecs * 1e9);
            while (true) {
                long left = start + windowNs - System.nanoTime();
                if (left <= 0) break;
                progress.accept(String.format("measuring %d/%s s", (System.nanoTime() - start) / 1_000_000_000L,
                        fmt(durationSecs)));
                sleepWatching(p, log, workload, Math.min(1000, left / 1_000_000 + 1));
            }
            Sample s1 = sample(p, stats, log, counter);
            progress.accept("stopping");
            workload.stop(60_000);
            if (workload.failure() != null) throw new Failed("the workload failed: " + workload.failure());
            counter.target(0);
            stoppedBySigint = true;
            int status = interruptAndWait(p, log);
            if (status != 0) {
                throw new Failed("the " + transport + " daemon exited with status " + status + " after SIGINT: "
                        + tail(log));
            }
            return result(transport, policy, s0, s1, workload);
        } finally {
            counter.target(0);
            if (!stoppedBySigint) {
                workload.stop(1000);
                if (p.isAlive()) interruptAndWait(p, log);
            }
        }
    }

    private static Result result(String transport, String policy, Sample s0, Sample s1, Workload w) {
        double secs = (s1.tNs - s0.tNs) / 1e9;
        long tasks = s1.received - s0.received;
        double t = tasks;
        ProcStat proc = s1.process.minus(s0.process);
        ProcStat thr = s1.schedThread.minus(s0.schedThread);
        SyscallCounter.Counts sys = s1.syscalls.minus(s0.syscalls);
        long[] lat = new long[s1.latCounts.length];
        for (int i = 0; i < lat.length; i++) lat[i] = s1.latCounts[i] - s0.latCounts[i];
        LatencyBuckets b = LatencyBuckets.of(s1.latKind);
        return new Result(transport, policy, secs, tasks, t / secs, proc.cpuNs() / t, thr.cpuNs() / t, sys.syscalls() / t,
                sys.bpf() / t, (s1.allocBytes - s0.allocBytes) / t, proc.faults() / t, s1.latKind, lat,
                b.percentile(lat, 0.50), b.percentile(lat, 0.99), b.percentile(lat, 0.999), w.metric(),
                w.results());
    }

    /** Waits for the daemon's first line that says it is attached; returns the policy that line names. */
    private static String awaitAttached(Process p, Path stats, Path log) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + ATTACH_TIMEOUT_MS;
        while (true) {
            if (!p.isAlive()) {
                throw new Failed("the daemon exited with status " + p.exitValue() + " before attaching: " + tail(log));
            }
            String line = lastLine(stats);
            if (line != null) {
                Map<String, Object> m = parse(line);
                if (Boolean.TRUE.equals(m.get("attached"))) {
                    if (!(m.get("policy") instanceof String name)) throw new Failed("the daemon's counters lack 'policy'");
                    return name;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new Failed("the daemon did not attach within " + ATTACH_TIMEOUT_MS / 1000 + " s: " + tail(log));
            }
            Thread.sleep(50);
        }
    }

    private static void sleepWatching(Process p, Path log, Workload w, long ms) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < end) {
            if (!p.isAlive()) {
                throw new Failed("the daemon exited with status " + p.exitValue() + " during the round: " + tail(log));
            }
            if (w.failure() != null) throw new Failed("the workload failed: " + w.failure());
            Thread.sleep(Math.max(1, Math.min(100, end - System.currentTimeMillis())));
        }
    }

    /** Waits for a line written after now, then reads /proc and the counter at once. */
    private static Sample sample(Process p, Path stats, Path log, SyscallCounter counter)
            throws IOException, InterruptedException {
        long size0 = Files.size(stats);
        long deadline = System.currentTimeMillis() + 5000;
        while (true) {
            long size = Files.size(stats);
            if (size > size0) {
                String line = lastLine(stats);
                if (line != null) {
                    SyscallCounter.Counts sys = counter.read();
                    ProcStat proc = ProcStat.ofProcess(p.pid());
                    Map<String, Object> m = parse(line);
                    long tid = num(m, "sched_tid");
                    ProcStat thr = ProcStat.ofThread(p.pid(), tid);
                    @SuppressWarnings("unchecked")
                    List<Object> counts = (List<Object>) m.get("lat_counts");
                    long[] lat = new long[counts.size()];
                    for (int i = 0; i < lat.length; i++) lat[i] = ((Number) counts.get(i)).longValue();
                    return new Sample(num(m, "t_ns"), num(m, "received"), num(m, "alloc_bytes"), lat,
                            (String) m.get("lat"), tid, proc, thr, sys);
                }
            }
            if (!p.isAlive()) throw new Failed("the daemon exited with status " + p.exitValue() + ": " + tail(log));
            if (System.currentTimeMillis() > deadline) throw new Failed("the daemon stopped writing its counters");
            Thread.sleep(2);
        }
    }

    private static int interruptAndWait(Process p, Path log) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        kill.waitFor();
        if (!p.waitFor(STOP_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new Failed("the daemon did not stop within " + STOP_TIMEOUT_MS / 1000 + " s of SIGINT: " + tail(log));
        }
        return p.exitValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String line) {
        return (Map<String, Object>) Json.parse(line);
    }

    private static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) throw new Failed("the daemon's counters lack '" + key + "'");
        return n.longValue();
    }

    /** The last complete line of the file, or null: the writer appends whole lines, so only the end is read. */
    static String lastLine(Path file) throws IOException {
        if (!Files.exists(file)) return null;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            if (len == 0) return null;
            int n = (int) Math.min(len, 64 * 1024);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            String s = new String(buf, StandardCharsets.US_ASCII);
            int end = s.lastIndexOf('\n');
            if (end < 0) return null;
            int start = s.lastIndexOf('\n', end - 1) + 1;
            if (start == 0 && n < len) return null;
            return s.substring(start, end);
        }
    }

    /** The daemon's last lines of output, for the one line that says why a round failed. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder();
            for (int i = Math.max(0, lines.size() - 3); i < lines.size(); i++) {
                sb.append(sb.isEmpty() ? "" : " | ").append(lines.get(i));
            }
            return sb.isEmpty() ? "(no output; " + log + ")" : sb + " (" + log + ")";
        } catch (IOException e) {
            return "(no output; " + log + ")";
        }
    }

    public static String fmtSecs(double d) {
        return fmt(d) + " s";
    }

    public static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
