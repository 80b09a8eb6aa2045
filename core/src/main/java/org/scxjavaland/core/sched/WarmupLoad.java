package org.scxjavaland.core.sched;

import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.core.wire.StatsLayout;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The busy machine the warm-up feeds the loop before attaching: a deterministic model of what the BPF side sends
 * and shows, varied the way a real load varies it. C2 compiles a branch the profile never saw taken as a trap, and
 * the first real task that takes it throws the method (with everything inlined into it) back to the interpreter
 * until it is compiled again. A warm-up of identical records did exactly that: in the VM every daemon deoptimized
 * 17-19 hot methods right after attaching (the charge of a run, ties between deadlines, contention, idle CPUs,
 * pinned tasks, exits of queued tasks, the allocator's free lists), and the scheduling thread ran them interpreted,
 * 20-100x slower, while every task waited on it (docs/architecture.md "JVM hygiene").
 * <p>
 * Tasks live, run for between a few microseconds and a few slices, sleep or stay runnable, are sometimes queued
 * again before they ran, are pinned or not, have nice levels from -5 to 19, exit (sometimes while queued) and
 * come back as new tasks under the same pid, now and then before the old task's exit notice arrives, or with that
 * notice lost. The CPUs' view changes every batch: the clock moves, the runnable weight
 * goes from idle to heavy contention, and any CPU may be idle.
 */
final class WarmupLoad {
    /** Pids in use at once: the policy's table and the allocator reach a real system's sizes. */
    static final int PIDS = 4096;
    static final int FIRST_PID = 1000;
    private static final long ENQ_WAKEUP = 1L;
    /** p->scx.weight of nice 0, 0, 0, 0, 5, 19, -5 and 10: stable per task. */
    private static final long[] WEIGHTS = {100, 100, 100, 100, 33, 1, 305, 10};
    /** Runnable weight per batch, in units of the fair share (CPUs x 100): idle to 40x contended. */
    private static final long[] CONTENTION_PERCENT = {0, 50, 100, 150, 500, 4000};
    private static final byte[] COMM = "warmup".getBytes(StandardCharsets.US_ASCII);

    private final int nrCpus;
    private final long[] lastStop = new long[PIDS];
    private final long[] execRuntime = new long[PIDS];
    private final long[] runTotal = new long[PIDS];
    private final long[] enqCnt = new long[PIDS];
    private final boolean[] alive = new boolean[PIDS];
    /** The task holding each pid (queued_task.uid), and the uid of a former holder whose exit notice is late. */
    private final long[] uid = new long[PIDS];
    private final long[] lateExitUid = new long[PIDS];
    private long nextUid = 1L << 48;
    private long random = 0x9E3779B97F4A7C15L;
    private long clock = 1_000_000_000L;
    private long vtime = 1_000_000_000L;
    private long batches;

    WarmupLoad(int nrCpus) {
        this.nrCpus = Math.max(1, nrCpus);
    }

    /** Writes {@code count} records of struct scx_jl_queued_task into {@code records}, one after another. */
    void fill(MemorySegment records, int count) {
        for (int i = 0; i < count; i++) {
            write(records, (long) i * QueuedTaskLayout.SIZE);
        }
        batches++;
    }

    /** The CPUs as the BPF side would show them now: clock, runnable weight and idle CPUs (first 64). */
    void showCpus(MemorySegment stats) {
        long fair = (long) nrCpus * 100;
        stats.set(JAVA_LONG, StatsLayout.VTIME_NOW, vtime);
        stats.set(JAVA_LONG, StatsLayout.RUNNABLE_WEIGHT,
                fair * CONTENTION_PERCENT[(int) (batches % CONTENTION_PERCENT.length)] / 100);
        long mask = nrCpus >= 64 ? -1L : (1L << nrCpus) - 1;
        stats.set(JAVA_LONG, StatsLayout.IDLE_CPUS, next() & mask);
    }

    private void write(MemorySegment s, long at) {
        long r = next();
        int t = (int) ((r >>> 1) % PIDS);
        int pid = FIRST_PID + t;
        long flags = (r & 1) != 0 ? ENQ_WAKEUP : 0;
        int cpu = (int) ((r >>> 20) % nrCpus);
        long start;
        long stop;
        if (lateExitUid[t] != 0) {
            // the exit notice of the pid's former task, after the new one's first records: it must change nothing
            writeExitNotice(s, at, pid, lateExitUid[t]);
            lateExitUid[t] = 0;
            return;
        }
        boolean ends = alive[t] && (r >>> 40) % 32 == 0;
        if (ends && (r >>> 35) % 4 == 0) {
            // its notice is late (another task takes the pid first) or lost (a full ring): the pid's next record
            // comes from a task the policy has not seen
            if ((r >>> 37) % 2 == 0) lateExitUid[t] = uid[t];
            alive[t] = false;
            ends = false;
        }
        if (!alive[t]) {
            // a new task: ops.enable gave it empty storage, so no run to charge yet
            alive[t] = true;
            uid[t] = nextUid++;
            execRuntime[t] = 0;
            runTotal[t] = 0;
            start = 0;
            stop = 0;
        } else if (ends) {
            // it ends: the exit notice, whether or not a decision for it is queued
            alive[t] = false;
            lastStop[t] = 0;
            writeExitNotice(s, at, pid, uid[t]);
            return;
        } else if ((r >>> 45) % 16 == 0) {
            // queued again before it ran (a property change, a migration): the same run, not charged twice
            stop = lastStop[t];
            start = stop - Math.min(stop, 1000);
        } else {
            // ran between 4 us and 33 ms (a power-of-two spread), on one of the CPUs
            long ran = 1L << (12 + (r >>> 50) % 14);
            ran += (r >>> 8) & (ran - 1);
            clock += ran / nrCpus;
            vtime += ran / nrCpus;
            stop = clock;
            start = clock - ran;
            execRuntime[t] = flags == ENQ_WAKEUP ? ran : execRuntime[t] + ran;
            runTotal[t] += ran;
        }
        lastStop[t] = stop;
        s.set(JAVA_INT, at + QueuedTaskLayout.PID, pid);
        s.set(JAVA_INT, at + QueuedTaskLayout.CPU, cpu);
        s.set(JAVA_LONG, at + QueuedTaskLayout.NR_CPUS_ALLOWED, (r >>> 30) % 8 == 0 ? 1 : nrCpus);
        s.set(JAVA_LONG, at + QueuedTaskLayout.FLAGS, flags);
        s.set(JAVA_LONG, at + QueuedTaskLayout.START_TS, start);
        s.set(JAVA_LONG, at + QueuedTaskLayout.STOP_TS, stop);
        s.set(JAVA_LONG, at + QueuedTaskLayout.EXEC_RUNTIME, execRuntime[t]);
        s.set(JAVA_LONG, at + QueuedTaskLayout.RUN_TOTAL, runTotal[t]);
        s.set(JAVA_LONG, at + QueuedTaskLayout.WEIGHT, WEIGHTS[t % WEIGHTS.length]);
        s.set(JAVA_LONG, at + QueuedTaskLayout.VTIME, 0);
        s.set(JAVA_LONG, at + QueuedTaskLayout.ENQ_CNT, ++enqCnt[t]);
        s.set(JAVA_LONG, at + QueuedTaskLayout.ENQ_TS, clock);
        s.set(JAVA_LONG, at + QueuedTaskLayout.UID, uid[t]);
        writeComm(s, at);
    }

    private static void writeExitNotice(MemorySegment s, long at, int pid, long uid) {
        s.set(JAVA_INT, at + QueuedTaskLayout.PID, pid);
        s.set(JAVA_INT, at + QueuedTaskLayout.CPU, QueuedTaskLayout.CPU_EXITED);
        s.asSlice(at + QueuedTaskLayout.NR_CPUS_ALLOWED, QueuedTaskLayout.COMM - QueuedTaskLayout.NR_CPUS_ALLOWED)
                .fill((byte) 0);
        s.set(JAVA_LONG, at + QueuedTaskLayout.UID, uid);
        writeComm(s, at);
    }

    private static void writeComm(MemorySegment s, long at) {
        MemorySegment comm = s.asSlice(at + QueuedTaskLayout.COMM, QueuedTaskLayout.COMM_LEN);
        comm.fill((byte) 0);
        MemorySegment.copy(COMM, 0, comm, JAVA_BYTE, 0, COMM.length);
    }

    /** xorshift64: cheap, deterministic, and every bit varies. */
    private long next() {
        long x = random;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        random = x;
        return x;
    }
}
