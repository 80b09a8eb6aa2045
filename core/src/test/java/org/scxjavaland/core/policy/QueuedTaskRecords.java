package org.scxjavaland.core.policy;

import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Writes queued-task records into a scratch segment, as BPF would, and wraps them for the policy. Each pid's
 * run_total is counted as jl_stopping counts it: a record whose [start, stop] is new and not empty adds that run
 * ({@link #interruptedRun} adds pieces no [start, stop] shows).
 */
public final class QueuedTaskRecords {
    private final MemorySegment seg;
    private final QueuedTask view = new QueuedTask();
    // pid -> run_total and last stop_ts, open addressing: the allocation tests drive records through here
    private static final int SLOTS = 1 << 15;
    private final int[] pids = new int[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    private final long[] runTotal = new long[SLOTS];
    private final long[] lastStop = new long[SLOTS];

    public QueuedTaskRecords(MemorySegment seg) {
        this.seg = seg;
    }

    public QueuedTask task(int pid, int cpu, long weight, long startTs, long stopTs, long execRuntime, long enqCnt) {
        seg.set(JAVA_INT, QueuedTaskLayout.PID, pid);
        seg.set(JAVA_INT, QueuedTaskLayout.CPU, cpu);
        seg.set(JAVA_LONG, QueuedTaskLayout.NR_CPUS_ALLOWED, 4);
        seg.set(JAVA_LONG, QueuedTaskLayout.FLAGS, 0);
        seg.set(JAVA_LONG, QueuedTaskLayout.START_TS, startTs);
        seg.set(JAVA_LONG, QueuedTaskLayout.STOP_TS, stopTs);
        seg.set(JAVA_LONG, QueuedTaskLayout.EXEC_RUNTIME, execRuntime);
        int at = slotOf(pid);
        if (stopTs != lastStop[at] && stopTs > startTs) runTotal[at] += stopTs - startTs;
        lastStop[at] = stopTs;
        seg.set(JAVA_LONG, QueuedTaskLayout.RUN_TOTAL, runTotal[at]);
        seg.set(JAVA_LONG, QueuedTaskLayout.WEIGHT, weight);
        seg.set(JAVA_LONG, QueuedTaskLayout.VTIME, 0);
        seg.set(JAVA_LONG, QueuedTaskLayout.ENQ_CNT, enqCnt);
        seg.set(JAVA_LONG, QueuedTaskLayout.ENQ_TS, 0);
        seg.set(JAVA_LONG, QueuedTaskLayout.UID, uidOf(pid));
        return view.wrap(seg, 0);
    }

    /** The uid the records of {@code pid} carry unless {@link #asTask} says otherwise: one task per pid. */
    public static long uidOf(int pid) {
        return (1L << 32) | pid;
    }

    /** The last record, from the task {@code uid} (another task under the same pid, for instance). */
    public QueuedTask asTask(long uid) {
        seg.set(JAVA_LONG, QueuedTaskLayout.UID, uid);
        return view;
    }

    /** The last record, with the kernel's enqueue time (ns, CLOCK_MONOTONIC) set. */
    public QueuedTask enqueuedAt(long enqTs) {
        seg.set(JAVA_LONG, QueuedTaskLayout.ENQ_TS, enqTs);
        return view;
    }

    public QueuedTask pinned(int pid, int cpu) {
        task(pid, cpu, 100, 0, 0, 0, 1);
        seg.set(JAVA_LONG, QueuedTaskLayout.NR_CPUS_ALLOWED, 1);
        return view;
    }

    /** A wake-up record (SCX_ENQ_WAKEUP in the flags) of a task that last ran on {@code cpu}. */
    public QueuedTask woken(int pid, int cpu, long enqCnt) {
        task(pid, cpu, 100, 0, 0, 0, enqCnt);
        seg.set(JAVA_LONG, QueuedTaskLayout.FLAGS, 1L);
        return view;
    }

    /** The last record, its task allowed on its CPU only. */
    public QueuedTask pinnedToItsCpu() {
        seg.set(JAVA_LONG, QueuedTaskLayout.NR_CPUS_ALLOWED, 1);
        return view;
    }

    /**
     * The record of a run that a higher class interrupted: before its last piece [startTs, stopTs] the task ran
     * {@code earlierPieces} ns more since its previous record, which only run_total shows.
     */
    public QueuedTask interruptedRun(int pid, int cpu, long weight, long earlierPieces, long startTs, long stopTs,
                                     long execRuntime, long enqCnt) {
        runTotal[slotOf(pid)] += earlierPieces;
        return task(pid, cpu, weight, startTs, stopTs, execRuntime, enqCnt);
    }

    private int slotOf(int pid) {
        int at = (pid * 0x9E3779B9) >>> 17;
        for (int probes = 0; probes < SLOTS; probes++, at = (at + 1) & (SLOTS - 1)) {
            if (!used[at]) {
                used[at] = true;
                pids[at] = pid;
                return at;
            }
            if (pids[at] == pid) return at;
        }
        throw new IllegalStateException("more than " + SLOTS + " pids");
    }

    public QueuedTask exitNotice(int pid) {
        task(pid, QueuedTaskLayout.CPU_EXITED, 0, 0, 0, 0, 0);
        return view;
    }
}
