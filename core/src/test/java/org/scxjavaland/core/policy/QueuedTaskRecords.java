package org.scxjavaland.core.policy;

import org.scxjavaland.core.wire.QueuedTask;
import org.scxjavaland.core.wire.QueuedTaskLayout;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Writes queued-task records into a scratch segment, as BPF would, and wraps them for the policy. */
public final class QueuedTaskRecords {
    private final MemorySegment seg;
    private final QueuedTask view = new QueuedTask();

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

    public QueuedTask exitNotice(int pid) {
        task(pid, QueuedTaskLayout.CPU_EXITED, 0, 0, 0, 0, 0);
        return view;
    }
}
