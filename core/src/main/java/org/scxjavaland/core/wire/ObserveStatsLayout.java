package org.scxjavaland.core.wire;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Java twin of {@code struct scx_jl_observe_stats} (section ".data.observe") in bpf-src/include/intf.h: the
 * observer's counters and its decision-latency histogram. WireLayoutTest checks it against the C header.
 */
public final class ObserveStatsLayout {
    public static final int LAT_SUB_BITS = 3;
    public static final int LAT_BUCKETS = 256;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("nr_events"),
            JAVA_LONG.withName("nr_wakeups"),
            JAVA_LONG.withName("nr_wakeups_new"),
            JAVA_LONG.withName("nr_preempted"),
            JAVA_LONG.withName("nr_exits"),
            JAVA_LONG.withName("nr_produced"),
            JAVA_LONG.withName("nr_dropped"),
            JAVA_LONG.withName("nr_untracked"),
            JAVA_LONG.withName("nr_drained"),
            JAVA_LONG.withName("nr_latency_samples"),
            JAVA_LONG.withName("latency_max_ns"),
            JAVA_LONG.withName("stop_producing"),
            MemoryLayout.sequenceLayout(LAT_BUCKETS, JAVA_LONG).withName("latency_hist"))
            .withName("scx_jl_observe_stats");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long NR_EVENTS = offset("nr_events");
    public static final long NR_WAKEUPS = offset("nr_wakeups");
    public static final long NR_WAKEUPS_NEW = offset("nr_wakeups_new");
    public static final long NR_PREEMPTED = offset("nr_preempted");
    public static final long NR_EXITS = offset("nr_exits");
    public static final long NR_PRODUCED = offset("nr_produced");
    public static final long NR_DROPPED = offset("nr_dropped");
    public static final long NR_UNTRACKED = offset("nr_untracked");
    public static final long NR_DRAINED = offset("nr_drained");
    public static final long NR_LATENCY_SAMPLES = offset("nr_latency_samples");
    public static final long LATENCY_MAX_NS = offset("latency_max_ns");
    public static final long STOP_PRODUCING = offset("stop_producing");
    public static final long LATENCY_HIST = offset("latency_hist");

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private ObserveStatsLayout() {
    }
}
