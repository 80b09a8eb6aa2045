package org.scxjavaland.core.sched;

import org.scxjavaland.core.wire.StatsLayout;

/**
 * Every number a running scheduler reports, in one table: where it comes from (a field of BPF's {@code .data.stats},
 * or a count the daemon keeps) and under which name each reader shows it: the scx_stats socket (and
 * {@code --help-stats}), the Prometheus endpoint, and the summary line scripts parse. A reader iterates this table;
 * a new counter is one line here, plus its field in intf.h and {@link StatsLayout} when BPF keeps it.
 * <p>
 * The socket serves its fields in this order: scx_rustland's first (same names and meanings), then ours.
 */
public enum Stat {
    // scx_rustland's socket fields
    ONLINE_CPUS(bpf(StatsLayout.NR_ONLINE_CPUS).socket("nr_cpus").gauge("cpus.online"),
            "Online CPUs"),
    RUNNING(bpf(StatsLayout.NR_RUNNING).socket("nr_running").gauge("tasks.running"),
            "Tasks running on a CPU under the scheduler"),
    IN_CHANNEL(daemon().socket("nr_queued"),
            "Tasks in the channel to the daemon, not yet taken"),
    HELD(bpf(StatsLayout.NR_SCHEDULED).socket("nr_scheduled").gauge("tasks.held"),
            "Tasks waiting in the daemon for a decision"),
    PAGE_FAULTS(daemon().socket("nr_page_faults").counter("sched.thread.page.faults").summary("page_faults"),
            "Minor and major page faults of the scheduling thread since the scheduler attached (should stay 0)"),
    USER_DISPATCHES(bpf(StatsLayout.NR_USER_DISPATCHES).perRequest("nr_user_dispatches").counter("user.dispatches")
            .summary("user_dispatches"),
            "Tasks BPF dispatched on the daemon's decision"),
    KERNEL_DISPATCHES(bpf(StatsLayout.NR_KERNEL_DISPATCHES).perRequest("nr_kernel_dispatches")
            .counter("kernel.dispatches").summary("kernel_dispatches"),
            "Tasks BPF dispatched itself, without asking the daemon"),
    CANCEL_DISPATCHES(bpf(StatsLayout.NR_CANCEL_DISPATCHES).perRequest("nr_cancel_dispatches")
            .counter("cancel.dispatches").summary("cancel"),
            "Stale decisions BPF dropped (the task was enqueued again or is gone)"),
    BOUNCE_DISPATCHES(bpf(StatsLayout.NR_BOUNCE_DISPATCHES).perRequest("nr_bounce_dispatches")
            .counter("bounce.dispatches").summary("bounce"),
            "Decisions that named a CPU the task may not use (BPF sent the task to the shared queue)"),
    FAILED_DISPATCHES(bpf(StatsLayout.NR_FAILED_DISPATCHES).perRequest("nr_failed_dispatches")
            .counter("failed.dispatches"),
            "Malformed decisions BPF refused"),
    CONGESTED(bpf(StatsLayout.NR_SCHED_CONGESTED).perRequest("nr_sched_congested").counter("congested")
            .summary("congested"),
            "Tasks BPF could not hand to the daemon (channel full) and ran from its fallback queue"),

    // ours
    TASKS_TRACKED(daemon().socket("nr_tasks_tracked").gauge("tasks.tracked"),
            "Tasks the policy holds state for"),
    RECEIVED(daemon().perRequest("nr_received").counter("records.received").summary("received"),
            "Records the daemon took from BPF (queued tasks and exit notices)"),
    EXITS(daemon().perRequest("nr_exited").counter("tasks.exited").summary("exits"),
            "Exit notices the daemon processed (tasks that ended)"),
    PREEMPT_KICKS(bpf(StatsLayout.NR_PREEMPT_KICKS).perRequest("nr_preempt_kicks").counter("preempt.kicks")
            .summary("preempt_kicks"),
            "CPUs BPF kicked so that a woken task could preempt a later-deadline one"),
    KEPT_RUNNING(bpf(StatsLayout.NR_KEPT_RUNNING).perRequest("nr_kept_running").counter("kept.running")
            .summary("kept_running"),
            "Slices that ended with nothing waiting due before the task, which BPF then kept running"),
    RESUMED(bpf(StatsLayout.NR_RESUMED).perRequest("nr_resumed").counter("resumed").summary("resumed"),
            "Decided tasks something else interrupted, which BPF ran again before their decision came back"),
    REQUEUED(bpf(StatsLayout.NR_REQUEUED).perRequest("nr_requeued").counter("requeued").summary("requeued"),
            "Decided tasks a higher class (RT) took the CPU from, which BPF put back in the shared queue for any CPU"
                    + " (7.x kernels)"),
    DIRECT_WAKEUPS(bpf(StatsLayout.NR_DIRECT_WAKEUPS).perRequest("nr_direct_wakeups").counter("direct.wakeups")
            .summary("direct_wakeups"),
            "Woken tasks BPF placed on an idle CPU itself because nothing else waited (no round trip)"),
    IDLE_WHILE_WAITING(bpf(StatsLayout.NR_IDLE_WHILE_WAITING).perRequest("nr_idle_while_waiting")
            .counter("idle.while.waiting").summary("idle_while_waiting"),
            "Tasks that started after waiting over a slice while a CPU they may use had idled over a slice"),
    IDLE_CLAIM_LOST(bpf(StatsLayout.NR_IDLE_CLAIM_LOST).perRequest("nr_idle_claim_lost").counter("idle.claim.lost")
            .summary("idle_claim_lost"),
            "Decisions that named an idle CPU another decision had taken (BPF sent them to the shared queue)"),
    DECISION_RACES(bpf(StatsLayout.NR_DECISION_RACES).perRequest("nr_decision_races").counter("decision.races")
            .summary("decision_races"),
            "Decisions BPF applied while the task's own CPU enqueued it again (a change of its affinity or nice"
                    + " meanwhile): harmless, such a decision names the enqueue it was made for and is never taken"
                    + " for the current one"),
    SCHED_THREAD_LATE(bpf(StatsLayout.NR_SCHED_THREAD_LATE).perRequest("nr_sched_thread_late")
            .counter("sched.thread.late").summary("sched_thread_late"),
            "Times the scheduling thread started more than a slice after it became runnable: every task that"
                    + " waited for a decision waited that long too (should stay 0)"),
    SCHED_THREAD_CUTS(bpf(StatsLayout.NR_SCHED_THREAD_CUTS).perRequest("nr_sched_thread_cuts")
            .counter("sched.thread.cuts").summary("sched_thread_cuts"),
            "Decided tasks that started on a CPU the waiting scheduling thread could take and were cut at once for"
                    + " it (they resume after it): without the cut the thread waited for their whole slice"),
    HEARTBEAT_WAKEUPS(bpf(StatsLayout.NR_DAEMON_WAKEUPS).perRequest("nr_heartbeat_wakeups")
            .counter("heartbeat.wakeups").summary("heartbeat_wakeups"),
            "Heartbeats that found records waiting and woke the daemon: the safety net for a lost wake-up (under load"
                    + " also a daemon that was awake but behind)"),
    DECISIONS_REFUSED(daemon().perRequest("nr_decisions_refused").counter("decisions.refused"),
            "Times the channel to BPF refused a decision for now (it was sent again later)"),
    ARENA_FAILURES(daemon().socket("nr_arena_failures").counter("arena.failures").summary("arena_failures"),
            "Tasks the policy could not hold because its arena was full"),
    EXIT_NOTICES_LOST(bpf(StatsLayout.NR_EXIT_NOTICES_LOST).socket("nr_exit_notices_lost")
            .counter("exit.notices.lost"),
            "Exit notices BPF could not queue"),
    REUSED_PIDS(daemon().socket("nr_reused_pids").counter("pids.reused").summary("reused_pids"),
            "Tasks that came under a pid the policy still held for an earlier task (its exit notice lost or late):"
                    + " the earlier task's state was dropped, not inherited"),
    LATE_EXIT_NOTICES(daemon().socket("nr_late_exit_notices").counter("exit.notices.late")
            .summary("late_exit_notices"),
            "Exit notices that came after another task took the pid (ignored)"),
    RECLAIMED(daemon().socket("nr_reclaimed").counter("tasks.reclaimed").summary("reclaimed"),
            "Per-task states taken back from tasks silent for 30 s because the policy's table was full"),
    ALLOCATED_BYTES(daemon().socket("sched_alloc_bytes").counter("sched.thread.allocated").unit("bytes")
            .summary("alloc_bytes"),
            "Java heap bytes allocated by the scheduling thread since the scheduler attached"),
    RUNNABLE_WEIGHT(bpf(StatsLayout.RUNNABLE_WEIGHT).socket("runnable_weight"),
            "Total weight of the runnable tasks the policy places (100 = one nice-0 task)"),
    VTIME_NOW(bpf(StatsLayout.VTIME_NOW).socket("vtime_now"),
            "The policy's clock: the latest deadline a CPU started, in ns of vruntime"),

    // not on the socket
    QUEUED(bpf(StatsLayout.NR_QUEUED).counter("records.queued").summary("queued"),
            "Records BPF handed to the daemon"),
    DECISIONS_SENT(daemon().counter("decisions.sent"),
            "Decisions the daemon sent to BPF (tasks it scheduled)"),
    TASKS_BOUNCED(daemon().counter("tasks.bounced"),
            "Tasks the daemon sent back to the kernel's shared queue (it could not hold them)"),
    HEARTBEATS(bpf(StatsLayout.NR_HEARTBEATS),
            "Heartbeat timer runs in BPF");

    /** How the scx_stats socket serves a stat. */
    public enum SocketKind {
        /** Not served. */
        NONE,
        /** The current value. */
        TOTAL,
        /** What happened since the previous request on the same connection, as scx_rustland's dispatch counters. */
        PER_REQUEST
    }

    /** The Micrometer meter a stat is. */
    public enum MeterKind {
        NONE, COUNTER, GAUGE
    }

    /** The meters' common prefix. */
    public static final String METER_PREFIX = "scx_javaland.";

    private final long bpfOffset;
    private final String socketName;
    private final SocketKind socketKind;
    private final String meterName;
    private final MeterKind meterKind;
    private final String meterUnit;
    private final String summaryKey;
    private final String description;

    Stat(Spec spec, String description) {
        this.bpfOffset = spec.bpfOffset;
        this.socketName = spec.socketName;
        this.socketKind = spec.socketKind;
        this.meterName = spec.meterName == null ? null : METER_PREFIX + spec.meterName;
        this.meterKind = spec.meterKind;
        this.meterUnit = spec.meterUnit;
        this.summaryKey = spec.summaryKey;
        this.description = description;
    }

    /** Offset of the stat's field in {@code .data.stats}, or -1 when the daemon counts it. */
    public long bpfOffset() {
        return bpfOffset;
    }

    public boolean fromBpf() {
        return bpfOffset >= 0;
    }

    /** The field's name on the scx_stats socket, or null. */
    public String socketName() {
        return socketName;
    }

    public SocketKind socketKind() {
        return socketKind;
    }

    /** The Micrometer name ({@code scx_javaland.records.queued}; Prometheus adds {@code _total}), or null. */
    public String meterName() {
        return meterName;
    }

    public MeterKind meterKind() {
        return meterKind;
    }

    /** Micrometer's base unit, or null. */
    public String meterUnit() {
        return meterUnit;
    }

    /** The key in the summary line ({@code key=value}), or null when the summary leaves it out. */
    public String summaryKey() {
        return summaryKey;
    }

    /** One sentence, shown by {@code --help-stats}, the socket's {@code stats_meta} and the Prometheus HELP line. */
    public String description() {
        return description;
    }

    private static Spec bpf(long offset) {
        return new Spec(offset);
    }

    private static Spec daemon() {
        return new Spec(-1);
    }

    /** The names a stat goes by, written as a chain so that each row of the table reads as one line. */
    private static final class Spec {
        final long bpfOffset;
        String socketName;
        SocketKind socketKind = SocketKind.NONE;
        String meterName;
        MeterKind meterKind = MeterKind.NONE;
        String meterUnit;
        String summaryKey;

        Spec(long bpfOffset) {
            this.bpfOffset = bpfOffset;
        }

        Spec socket(String name) {
            socketName = name;
            socketKind = SocketKind.TOTAL;
            return this;
        }

        Spec perRequest(String name) {
            socketName = name;
            socketKind = SocketKind.PER_REQUEST;
            return this;
        }

        Spec counter(String name) {
            meterName = name;
            meterKind = MeterKind.COUNTER;
            return this;
        }

        Spec gauge(String name) {
            meterName = name;
            meterKind = MeterKind.GAUGE;
            return this;
        }

        Spec unit(String unit) {
            meterUnit = unit;
            return this;
        }

        Spec summary(String key) {
            summaryKey = key;
            return this;
        }
    }
}
