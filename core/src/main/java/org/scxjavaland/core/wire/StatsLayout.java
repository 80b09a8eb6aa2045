package org.scxjavaland.core.wire;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Java twin of {@code struct scx_jl_stats} (section ".data.stats") in bpf-src/include/intf.h.
 * WireLayoutTest checks it against the C header. BPF writes the counters; the daemon writes nr_scheduled.
 */
public final class StatsLayout {
    public static final int MAX_CPUS = 1024;
    public static final int IDLE_WORDS = MAX_CPUS / 64;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("nr_queued"),
            JAVA_LONG.withName("nr_user_dispatches"),
            JAVA_LONG.withName("nr_kernel_dispatches"),
            JAVA_LONG.withName("nr_cancel_dispatches"),
            JAVA_LONG.withName("nr_bounce_dispatches"),
            JAVA_LONG.withName("nr_failed_dispatches"),
            JAVA_LONG.withName("nr_sched_congested"),
            JAVA_LONG.withName("nr_exit_notices_lost"),
            JAVA_LONG.withName("nr_running"),
            JAVA_LONG.withName("nr_online_cpus"),
            JAVA_LONG.withName("nr_heartbeats"),
            JAVA_LONG.withName("nr_daemon_wakeups"),
            JAVA_LONG.withName("nr_preempt_kicks"),
            JAVA_LONG.withName("nr_scheduled"),
            JAVA_LONG.withName("vtime_now"),
            JAVA_LONG.withName("nr_idle_claim_lost"),
            JAVA_LONG.withName("nr_kept_running"),
            JAVA_LONG.withName("runnable_weight"),
            JAVA_LONG.withName("nr_direct_wakeups"),
            JAVA_LONG.withName("nr_idle_while_waiting"),
            JAVA_LONG.withName("nr_resumed"),
            JAVA_LONG.withName("nr_requeued"),
            JAVA_LONG.withName("nr_decision_races"),
            JAVA_LONG.withName("nr_sched_thread_late"),
            JAVA_LONG.withName("nr_sched_thread_cuts"),
            MemoryLayout.sequenceLayout(IDLE_WORDS, JAVA_LONG).withName("idle_cpus"))
            .withName("scx_jl_stats");

    public static final long SIZE = LAYOUT.byteSize();
    public static final long NR_QUEUED = offset("nr_queued");
    public static final long NR_USER_DISPATCHES = offset("nr_user_dispatches");
    public static final long NR_KERNEL_DISPATCHES = offset("nr_kernel_dispatches");
    public static final long NR_CANCEL_DISPATCHES = offset("nr_cancel_dispatches");
    public static final long NR_BOUNCE_DISPATCHES = offset("nr_bounce_dispatches");
    public static final long NR_FAILED_DISPATCHES = offset("nr_failed_dispatches");
    public static final long NR_SCHED_CONGESTED = offset("nr_sched_congested");
    public static final long NR_EXIT_NOTICES_LOST = offset("nr_exit_notices_lost");
    public static final long NR_RUNNING = offset("nr_running");
    public static final long NR_ONLINE_CPUS = offset("nr_online_cpus");
    public static final long NR_HEARTBEATS = offset("nr_heartbeats");
    public static final long NR_DAEMON_WAKEUPS = offset("nr_daemon_wakeups");
    public static final long NR_PREEMPT_KICKS = offset("nr_preempt_kicks");
    public static final long NR_SCHEDULED = offset("nr_scheduled");
    public static final long VTIME_NOW = offset("vtime_now");
    public static final long NR_IDLE_CLAIM_LOST = offset("nr_idle_claim_lost");
    public static final long NR_KEPT_RUNNING = offset("nr_kept_running");
    public static final long RUNNABLE_WEIGHT = offset("runnable_weight");
    public static final long NR_DIRECT_WAKEUPS = offset("nr_direct_wakeups");
    public static final long NR_IDLE_WHILE_WAITING = offset("nr_idle_while_waiting");
    public static final long NR_RESUMED = offset("nr_resumed");
    public static final long NR_REQUEUED = offset("nr_requeued");
    public static final long NR_DECISION_RACES = offset("nr_decision_races");
    public static final long NR_SCHED_THREAD_LATE = offset("nr_sched_thread_late");
    public static final long NR_SCHED_THREAD_CUTS = offset("nr_sched_thread_cuts");
    public static final long IDLE_CPUS = offset("idle_cpus");

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private StatsLayout() {
    }
}
