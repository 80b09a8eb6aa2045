package org.scxjavaland.core.wire;

import org.scxjavaland.sys.RawMemory;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A flyweight over one queued-task record where it lies (in the mapped ring, or in a native scratch buffer for the
 * queue-map transport). The transport positions it with {@link #wrap} or {@link #wrapAddress} before handing it to
 * the handler; it is valid only during that call, because the ring space is released afterwards.
 * <p>
 * The fields are read at a raw address ({@link RawMemory}), not through the segment: the range is checked once per
 * record, when it is wrapped, instead of by every read (the segment's checks were ~3 ns of the ring consumer's
 * 8-9 ns per record in docs/benchmarks.md), and the reads stay monomorphic whatever kind of segment a transport
 * wraps. Hence only native memory can be wrapped.
 */
public final class QueuedTask {
    private long address;
    /** What {@link #wrap} was given: keeps an Arena's buffer reachable while it is wrapped. */
    private MemorySegment seg = MemorySegment.NULL;

    /** Wraps the record at {@code offset} of {@code seg}: native, alive, and holding a whole record there. */
    public QueuedTask wrap(MemorySegment seg, long offset) {
        if (!seg.isNative() || !seg.scope().isAlive()) {
            throw new IllegalArgumentException("a queued task must lie in live native memory: " + seg);
        }
        Objects.checkFromIndexSize(offset, QueuedTaskLayout.SIZE, seg.byteSize());
        this.seg = seg;
        this.address = seg.address() + offset;
        return this;
    }

    /**
     * Wraps the record at {@code address}, for a transport that has checked that QueuedTaskLayout.SIZE bytes there
     * lie within memory it keeps mapped until the handler returns; nothing is checked here.
     */
    public QueuedTask wrapAddress(long address) {
        // seg is left as it is: a reference store costs a GC card mark too, per record (seg only keeps memory
        // reachable, and the transport keeps its mapping alive itself)
        this.address = address;
        return this;
    }

    public int pid() { return RawMemory.getInt(address + QueuedTaskLayout.PID); }
    public int cpu() { return RawMemory.getInt(address + QueuedTaskLayout.CPU); }
    public boolean isExitNotice() { return cpu() == QueuedTaskLayout.CPU_EXITED; }
    public long nrCpusAllowed() { return RawMemory.getLong(address + QueuedTaskLayout.NR_CPUS_ALLOWED); }
    public long flags() { return RawMemory.getLong(address + QueuedTaskLayout.FLAGS); }
    public long startTs() { return RawMemory.getLong(address + QueuedTaskLayout.START_TS); }
    public long stopTs() { return RawMemory.getLong(address + QueuedTaskLayout.STOP_TS); }
    public long execRuntime() { return RawMemory.getLong(address + QueuedTaskLayout.EXEC_RUNTIME); }
    /** ns run in all, as of its last stop: what ran between two records is the difference, however many pieces. */
    public long runTotal() { return RawMemory.getLong(address + QueuedTaskLayout.RUN_TOTAL); }
    public long weight() { return RawMemory.getLong(address + QueuedTaskLayout.WEIGHT); }
    public long vtime() { return RawMemory.getLong(address + QueuedTaskLayout.VTIME); }
    public long enqCnt() { return RawMemory.getLong(address + QueuedTaskLayout.ENQ_CNT); }
    /** CLOCK_MONOTONIC ns of ops.enqueue: the same clock as System.nanoTime() on Linux. */
    public long enqTs() { return RawMemory.getLong(address + QueuedTaskLayout.ENQ_TS); }
    /** Never the same for two tasks with this pid: a pid is reused, this is not (intf.h). */
    public long uid() { return RawMemory.getLong(address + QueuedTaskLayout.UID); }

    /** Byte i of the command name (NUL-padded); no String, so the hot path does not allocate. */
    public byte commByte(int i) {
        Objects.checkIndex(i, QueuedTaskLayout.COMM_LEN);
        return RawMemory.getByte(address + QueuedTaskLayout.COMM + i);
    }

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
}
