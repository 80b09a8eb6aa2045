package org.scxjavaland.core.wire;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Java twin of {@code struct scx_jl_config} (section ".rodata.config") in bpf-src/include/intf.h.
 * WireLayoutTest checks it against the C header. The daemon writes it between open and load.
 */
public final class ConfigLayout {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("daemon_tgid"),
            JAVA_INT.withName("transport"),
            JAVA_LONG.withName("slice_ns"),
            JAVA_INT.withName("nr_cpu_ids"),
            JAVA_INT.withName("verbose"),
            JAVA_INT.withName("khugepaged_pid"),
            JAVA_INT.withName("heartbeat_ms"),
            JAVA_INT.withName("ops_off_flags"),
            JAVA_INT.withName("ops_off_timeout_ms"),
            JAVA_INT.withName("ops_off_exit_dump_len"),
            JAVA_INT.withName("ops_off_name"),
            JAVA_INT.withName("sched_tid"),
            JAVA_INT.withName("ops_off_hotplug_seq"),
            JAVA_LONG.withName("slice_min_ns"))
            .withName("scx_jl_config");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long DAEMON_TGID = offset("daemon_tgid");
    public static final long TRANSPORT = offset("transport");
    public static final long SLICE_NS = offset("slice_ns");
    public static final long NR_CPU_IDS = offset("nr_cpu_ids");
    public static final long VERBOSE = offset("verbose");
    public static final long KHUGEPAGED_PID = offset("khugepaged_pid");
    public static final long HEARTBEAT_MS = offset("heartbeat_ms");
    public static final long OPS_OFF_FLAGS = offset("ops_off_flags");
    public static final long OPS_OFF_TIMEOUT_MS = offset("ops_off_timeout_ms");
    public static final long OPS_OFF_EXIT_DUMP_LEN = offset("ops_off_exit_dump_len");
    public static final long OPS_OFF_NAME = offset("ops_off_name");
    public static final long SCHED_TID = offset("sched_tid");
    public static final long OPS_OFF_HOTPLUG_SEQ = offset("ops_off_hotplug_seq");
    public static final long SLICE_MIN_NS = offset("slice_min_ns");

    /** SCX_JL_TRANSPORT_* values of {@code transport}. */
    public static final int TRANSPORT_RINGBUF = 0;
    public static final int TRANSPORT_FIFO = 1;

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private ConfigLayout() {
    }
}
