package org.scxjavaland.core.wire;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Java twin of {@code struct scx_jl_queued_task} in bpf-src/include/intf.h.
 * WireLayoutTest checks every offset and the size against the C compiler's view of the header.
 */
public final class QueuedTaskLayout {
    public static final int COMM_LEN = 16;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("pid"),
            JAVA_INT.withName("cpu"),
            JAVA_LONG.withName("nr_cpus_allowed"),
            JAVA_LONG.withName("flags"),
            JAVA_LONG.withName("start_ts"),
            JAVA_LONG.withName("stop_ts"),
            JAVA_LONG.withName("exec_runtime"),
            JAVA_LONG.withName("run_total"),
            JAVA_LONG.withName("weight"),
            JAVA_LONG.withName("vtime"),
            JAVA_LONG.withName("enq_cnt"),
            JAVA_LONG.withName("enq_ts"),
            JAVA_LONG.withName("uid"),
            MemoryLayout.sequenceLayout(COMM_LEN, java.lang.foreign.ValueLayout.JAVA_BYTE).withName("comm"))
            .withName("scx_jl_queued_task");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long PID = offset("pid");
    public static final long CPU = offset("cpu");
    public static final long NR_CPUS_ALLOWED = offset("nr_cpus_allowed");
    public static final long FLAGS = offset("flags");
    public static final long START_TS = offset("start_ts");
    public static final long STOP_TS = offset("stop_ts");
    public static final long EXEC_RUNTIME = offset("exec_runtime");
    public static final long RUN_TOTAL = offset("run_total");
    public static final long WEIGHT = offset("weight");
    public static final long VTIME = offset("vtime");
    public static final long ENQ_CNT = offset("enq_cnt");
    public static final long ENQ_TS = offset("enq_ts");
    public static final long UID = offset("uid");
    public static final long COMM = offset("comm");

    /** queued_task.cpu of an exit notice: the task is gone, free its state. */
    public static final int CPU_EXITED = -1;

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private QueuedTaskLayout() {
    }
}
