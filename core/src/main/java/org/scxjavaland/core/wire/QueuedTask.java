package org.scxjavaland.core.wire;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A flyweight over one queued-task record where it lies (in the mapped ring, or in a scratch buffer for the
 * queue-map transport). The transport positions it with {@link #wrap} before handing it to the handler; it is
 * valid only during that call, because the ring space is released afterwards.
 */
public final class QueuedTask {
    private MemorySegment seg = MemorySegment.NULL;
    private long base;

    public QueuedTask wrap(MemorySegment seg, long offset) {
        this.seg = seg;
        this.base = offset;
        return this;
    }

    public int pid() { return seg.get(JAVA_INT, base + QueuedTaskLayout.PID); }
    public int cpu() { return seg.get(JAVA_INT, base + QueuedTaskLayout.CPU); }
    public boolean isExitNotice() { return cpu() == QueuedTaskLayout.CPU_EXITED; }
    public long nrCpusAllowed() { return seg.get(JAVA_LONG, base + QueuedTaskLayout.NR_CPUS_ALLOWED); }
    public long flags() { return seg.get(JAVA_LONG, base + QueuedTaskLayout.FLAGS); }
    public long startTs() { return seg.get(JAVA_LONG, base + QueuedTaskLayout.START_TS); }
    public long stopTs() { return seg.get(JAVA_LONG, base + QueuedTaskLayout.STOP_TS); }
    public long execRuntime() { return seg.get(JAVA_LONG, base + QueuedTaskLayout.EXEC_RUNTIME); }
    public long weight() { return seg.get(JAVA_LONG, base + QueuedTaskLayout.WEIGHT); }
    public long vtime() { return seg.get(JAVA_LONG, base + QueuedTaskLayout.VTIME); }
    public long enqCnt() { return seg.get(JAVA_LONG, base + QueuedTaskLayout.ENQ_CNT); }
    /** CLOCK_MONOTONIC ns of ops.enqueue: the same clock as System.nanoTime() on Linux. */
    public long enqTs() { return seg.get(JAVA_LONG, base + QueuedTaskLayout.ENQ_TS); }

    /** Byte i of the command name (NUL-padded); no String, so the hot path does not allocate. */
    public byte commByte(int i) { return seg.get(JAVA_BYTE, base + QueuedTaskLayout.COMM + i); }

    /** The command name as a String: allocates, for logs and tests only. */
    public String comm() {
        StringBuilder sb = new StringBuilder(QueuedTaskLayout.COMM_LEN);
        for (int i = 0; i < QueuedTaskLayout.COMM_LEN; i++) {
            byte b = commByte(i);
            if (b == 0) break;
            sb.append((char) (b & 0xff));
        }
        return sb.toString();
    }

    /** Copies this record into {@code dst} at {@code offset}: for transports that must release the ring slot early. */
    public void copyTo(MemorySegment dst, long offset) {
        MemorySegment.copy(seg, base, dst, offset, QueuedTaskLayout.SIZE);
    }
}
