package org.scxjavaland.core.wire;

import org.scxjavaland.sys.RawMemory;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Java twin of {@code struct scx_jl_dispatched_task} in bpf-src/include/intf.h.
 * WireLayoutTest checks it against the C header.
 */
public final class DispatchedTaskLayout {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("pid"),
            JAVA_INT.withName("cpu"),
            JAVA_LONG.withName("flags"),
            JAVA_LONG.withName("slice_ns"),
            JAVA_LONG.withName("vtime"),
            JAVA_LONG.withName("enq_cnt"))
            .withName("scx_jl_dispatched_task");

    public static final long SIZE = LAYOUT.byteSize();

    static {
        if (offset("cpu") != offset("pid") + 4) throw new AssertionError("pid and cpu are written as one long");
    }
    public static final long PID = offset("pid");
    public static final long CPU = offset("cpu");
    public static final long FLAGS = offset("flags");
    public static final long SLICE_NS = offset("slice_ns");
    public static final long VTIME = offset("vtime");
    public static final long ENQ_CNT = offset("enq_cnt");

    /** dispatched_task.cpu: let BPF pick the CPU. */
    public static final int CPU_ANY = -1;

    /**
     * dispatched_task.flags (SCX_JL_DF_PREEMPT): when no CPU is idle, the task may preempt the CPU running the
     * latest deadline, if that deadline is later than its own; a decision that names a CPU may preempt that CPU on
     * the same terms.
     */
    public static final long DF_PREEMPT = 1L << 0;

    /** Writes a decision at {@code offset}; plain stores: the transport publishes the record afterwards. */
    public static void write(MemorySegment seg, long offset, DispatchedTask t) {
        seg.set(JAVA_INT, offset + PID, t.pid);
        seg.set(JAVA_INT, offset + CPU, t.cpu);
        seg.set(JAVA_LONG, offset + FLAGS, t.flags);
        seg.set(JAVA_LONG, offset + SLICE_NS, t.sliceNs);
        seg.set(JAVA_LONG, offset + VTIME, t.vtime);
        seg.set(JAVA_LONG, offset + ENQ_CNT, t.enqCnt);
    }

    /**
     * The same at a raw address (RawMemory): for a transport that has checked that SIZE bytes there lie within
     * memory it keeps mapped; nothing is checked here.
     */
    public static void write(long address, DispatchedTask t) {
        // pid and cpu in one store: the per-record cost of the user ring producer is mostly its count of stores
        RawMemory.putLong(address + PID, RawMemory.pairOfInts(t.pid, t.cpu));
        RawMemory.putLong(address + FLAGS, t.flags);
        RawMemory.putLong(address + SLICE_NS, t.sliceNs);
        RawMemory.putLong(address + VTIME, t.vtime);
        RawMemory.putLong(address + ENQ_CNT, t.enqCnt);
    }

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private DispatchedTaskLayout() {
    }
}
