package org.scxjavaland.bpf;

/**
 * Names of the maps and sections in the BPF objects (bpf-src/src/*.bpf.c). The scheduler object and the host
 * harness object use the same names, so a transport opens either one the same way.
 */
public final class MapNames {
    /** BPF_MAP_TYPE_RINGBUF, kernel to user: struct scx_jl_queued_task records. */
    public static final String QUEUED_RINGBUF = "queued_rb";
    /** BPF_MAP_TYPE_USER_RINGBUF, user to kernel: struct scx_jl_dispatched_task records. */
    public static final String DISPATCHED_USER_RINGBUF = "dispatched_urb";
    /** BPF_MAP_TYPE_QUEUE, kernel to user. */
    public static final String QUEUED_QUEUE = "queued_q";
    /** BPF_MAP_TYPE_QUEUE, user to kernel. */
    public static final String DISPATCHED_QUEUE = "dispatched_q";

    /** Single-variable data sections (each its own mmapable array map, the variable at offset 0). */
    public static final String SECTION_CONFIG = ".rodata.config";
    public static final String SECTION_STATS = ".data.stats";
    public static final String SECTION_EXIT_INFO = ".data.uei";
    /** The observer's counters (observe.bpf.o only). */
    public static final String SECTION_OBSERVE = ".data.observe";
    /** Records for the harness to produce, written by user space (harness.bpf.o only). */
    public static final String SECTION_HARNESS_INPUT = ".data.harness_input";

    /** The struct_ops map of the scheduler object. */
    public static final String STRUCT_OPS = "javaland_ops";
    /** The ops name the kernel shows in /sys/kernel/sched_ext/root/ops. */
    public static final String OPS_NAME = "javaland";

    private MapNames() {
    }
}
