package org.scxjavaland.core.wire;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Java twin of {@code struct scx_jl_harness_ctx} in bpf-src/include/intf.h (the harness program: host tests and the daemon's warm-up). */
public final class HarnessCtxLayout {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("op"),
            JAVA_INT.withName("count"),
            JAVA_LONG.withName("first_pid"),
            JAVA_LONG.withName("discard_every"),
            JAVA_LONG.withName("exit_every"),
            JAVA_LONG.withName("produced"),
            JAVA_LONG.withName("dropped"),
            JAVA_LONG.withName("drained"),
            JAVA_LONG.withName("checksum"),
            JAVA_LONG.withName("hold_loops"))
            .withName("scx_jl_harness_ctx");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long OP = offset("op");
    public static final long COUNT = offset("count");
    public static final long FIRST_PID = offset("first_pid");
    public static final long DISCARD_EVERY = offset("discard_every");
    public static final long EXIT_EVERY = offset("exit_every");
    public static final long PRODUCED = offset("produced");
    public static final long DROPPED = offset("dropped");
    public static final long DRAINED = offset("drained");
    public static final long CHECKSUM = offset("checksum");
    public static final long HOLD_LOOPS = offset("hold_loops");

    public static final int OP_PRODUCE = 1;
    public static final int OP_DRAIN = 2;
    /** Produce the first {@code count} records of the input section as user space wrote them (enq_ts: now). */
    public static final int OP_PRODUCE_INPUT = 3;
    /** Records the input section ({@code .data.harness_input}) holds. */
    public static final int INPUT_MAX = 256;

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private HarnessCtxLayout() {
    }
}
