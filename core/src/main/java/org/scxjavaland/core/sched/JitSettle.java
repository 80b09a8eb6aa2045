package org.scxjavaland.core.sched;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Waits before attaching until the JIT's compiler threads have gone idle, i.e. until what the warm-up and the
 * rehearsal queued for compilation is compiled. Under the VM's emulation the warm-up stops at its time limit with
 * the C2 queue still full: the JIT log showed C2 compiling {@code SchedulingLoop.step}, {@code runOnce}, {@code
 * RingbufTransport.drain} and {@code SchedulingLoop.run} 3 to 29 s after attaching, while the loop ran their
 * C1 code, and the compiler threads took 0.14-0.25 of a CPU from the workload over the 5-25 s after attaching
 * (ringbuf; fifo 0.07-0.08). Here that time is spent while the kernel still schedules everything.
 * <p>
 * Idle means the compiler threads ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}, found anew at every look
 * since HotSpot starts and stops them with the queue's length) used at most a tenth of a CPU over the last {@code
 * quietNanos}, and all of them sleep at the last look: a thread that is runnable but waits for a CPU counts as
 * busy, its queue is not drained. Read from /proc; where that cannot be read there is nothing to wait for.
 */
public final class JitSettle {
    static final long POLL_NANOS = 50_000_000L;
    /**
     * Idle: the compiler threads used at most 1/IDLE_SHARE of a CPU over the quiet time, and all sleep at the last
     * look. Not none at all: something compiles a small method now and then (the stats thread's code, the JDK's);
     * on this host, waiting for no compile at all for half a second took 2.9 s after a warm-up that left the queue
     * empty.
     */
    static final long IDLE_SHARE = 10;
    private static final Path TASKS = Path.of("/proc/self/task");

    /**
     * @param settled         the compiler threads were idle for the quiet time (false: the wait's bound, a stop, or
     *                        nothing to read)
     * @param waitedNanos     how long this waited
     * @param compilerCpuNanos the compiler threads' CPU time while this waited
     * @param compilerThreads compiler threads seen at the last look
     */
    public record Result(boolean settled, long waitedNanos, long compilerCpuNanos, int compilerThreads) {
        public String describe() {
            return String.format("JIT: %s after %d ms (compiler threads: %d, %d ms of CPU meanwhile)",
                    settled ? "idle" : compilerThreads == 0 ? "no compiler threads to wait for" : "still compiling",
                    waitedNanos / 1_000_000, compilerThreads, compilerCpuNanos / 1_000_000);
        }
    }

    /** The compiler threads' state at one look. */
    record Look(int threads, boolean allAsleep, long cpuNanos) {}

    private JitSettle() {}

    public static Result await(long quietNanos, long maxNanos, BooleanSupplier stop) {
        return await(TASKS, quietNanos, maxNanos, stop);
    }

    /** {@link #await} over the threads under {@code tasks} (a /proc/PID/task directory, or a test's copy of one). */
    static Result await(Path tasks, long quietNanos, long maxNanos, BooleanSupplier stop) {
        long t0 = System.nanoTime();
        Look first = look(tasks);
        if (first == null || first.threads() == 0) {
            return new Result(false, System.nanoTime() - t0, 0, first == null ? 0 : first.threads());
        }
        // the looks of the last quietNanos: times and CPU totals, oldest at head
        int n = (int) Math.max(2, quietNanos / POLL_NANOS + 1);
        long[] times = new long[n];
        long[] cpus = new long[n];
        int head = 0;
        int size = 1;
        times[0] = t0;
        cpus[0] = first.cpuNanos();
        Look last = first;
        while (true) {
            long now = System.nanoTime();
            long span = times[(head + size - 1) % n] - times[head];
            long busy = cpus[(head + size - 1) % n] - cpus[head];
            if (span >= quietNanos && busy * IDLE_SHARE <= span && last.allAsleep()) {
                return new Result(true, now - t0, last.cpuNanos() - first.cpuNanos(), last.threads());
            }
            if (now - t0 >= maxNanos || stop.getAsBoolean()) {
                return new Result(false, now - t0, last.cpuNanos() - first.cpuNanos(), last.threads());
            }
            try {
                Thread.sleep(POLL_NANOS / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(false, System.nanoTime() - t0, last.cpuNanos() - first.cpuNanos(), last.threads());
            }
            Look next = look(tasks);
            if (next == null) return new Result(false, System.nanoTime() - t0, 0, last.threads());
            if (size == n) {
                head = (head + 1) % n;
                size--;
            }
            times[(head + size) % n] = System.nanoTime();
            cpus[(head + size) % n] = next.cpuNanos();
            size++;
            last = next;
        }
    }

    /** The CPU time of this JVM's compiler threads alive now, or -1 where /proc cannot be read. */
    public static long compilerCpuNanos() {
        Look l = look(TASKS);
        return l == null ? -1 : l.cpuNanos();
    }

    /** The compiler threads under {@code tasks} (a /proc/PID/task directory), or null if it cannot be read. */
    static Look look(Path tasks) {
        int threads = 0;
        boolean allAsleep = true;
        long cpu = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                String comm;
                String stat;
                String schedstat;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                    if (!isCompilerThread(comm)) continue;
                    stat = Files.readString(task.resolve("stat"));
                    schedstat = Files.readString(task.resolve("schedstat"));
                } catch (IOException e) {
                    continue;   // the thread ended between the listing and the read
                }
                threads++;
                allAsleep &= state(stat) == 'S';
                cpu += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return new Look(threads, allAsleep, cpu);
    }

    /** HotSpot's compiler threads, "C1 CompilerThread0" and so on, cut to 15 characters by the kernel. */
    static boolean isCompilerThread(String comm) {
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    /** The state letter of a /proc/PID/stat line: the first field after the command's closing parenthesis. */
    static char state(String stat) {
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
