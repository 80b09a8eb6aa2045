package org.scxjavaland.daemon.stats;

import org.scxjavaland.core.sched.SchedulerView;
import org.scxjavaland.core.sched.StatsSnapshot;
import org.scxjavaland.daemon.DaemonState;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one statistics struct the socket serves (its "top"): scx_rustland's fields, with their names and meanings
 * where ours match, then ours. As in scx_rustland, the dispatch counters are per connection: each answer gives what
 * happened since the previous request on the same connection, which is what a monitor prints per period.
 */
final class StatsStruct {
    static final String NAME = "Metrics";
    static final String DESC = "scx_javaland scheduler statistics";

    /** One field: its scx_stats datum kind ("u64", "string"), and whether it is a per-request difference. */
    record Field(String name, String datum, String desc, boolean delta, Function<StatsSnapshot, Object> value) {
    }

    private static Field u64(String name, String desc, Function<StatsSnapshot, Object> v) {
        return new Field(name, "u64", desc, false, v);
    }

    private static Field delta(String name, String desc, Function<StatsSnapshot, Object> v) {
        return new Field(name, "u64", desc + " (since the previous request on this connection)", true, v);
    }

    static final List<Field> FIELDS = List.of(
            // scx_rustland's, same names and meanings
            u64("nr_cpus", "Number of online CPUs", StatsSnapshot::nrOnlineCpus),
            u64("nr_running", "Amount of tasks currently running", StatsSnapshot::nrRunning),
            u64("nr_queued", "Amount of tasks queued to the user-space scheduler (in the channel, not yet taken)",
                    s -> Math.max(0, s.nrQueued() - (s.received() - s.exits()))),
            u64("nr_scheduled", "Amount of tasks in the user-space scheduler waiting to be dispatched",
                    StatsSnapshot::held),
            u64("nr_page_faults", "Page faults of the scheduling thread since it attached (should be always 0)",
                    StatsSnapshot::pageFaults),
            delta("nr_user_dispatches", "Number of tasks dispatched by the user-space scheduler",
                    StatsSnapshot::userDispatches),
            delta("nr_kernel_dispatches", "Number of tasks dispatched directly by the kernel",
                    StatsSnapshot::kernelDispatches),
            delta("nr_cancel_dispatches", "Number of cancelled dispatches (stale decisions)",
                    StatsSnapshot::cancelDispatches),
            delta("nr_bounce_dispatches", "Number of dispatches bounced to another DSQ (CPU not allowed)",
                    StatsSnapshot::bounceDispatches),
            delta("nr_failed_dispatches", "Number of failed (malformed) dispatches", StatsSnapshot::failedDispatches),
            delta("nr_sched_congested", "Number of scheduler congestion events (channel full: task kept in BPF)",
                    StatsSnapshot::congested),
            // ours
            new Field("transport", "string", "Transport between BPF and the daemon (ringbuf or fifo)", false,
                    StatsSnapshot::transport),
            new Field("policy", "string", "Scheduling policy (--policy: deadline, fifo, or one of your own)", false,
                    StatsSnapshot::policy),
            u64("nr_tasks_tracked", "Tasks the policy holds state for", StatsSnapshot::tasksTracked),
            delta("nr_received", "Records the daemon took from BPF (tasks and exit notices)", StatsSnapshot::received),
            delta("nr_exited", "Exit notices the daemon processed", StatsSnapshot::exits),
            delta("nr_preempt_kicks", "CPUs kicked so that a woken task could preempt", StatsSnapshot::preemptKicks),
            delta("nr_kept_running", "Slices that ended with nothing due before the task, which BPF kept running",
                    StatsSnapshot::keptRunning),
            delta("nr_resumed", "Decided tasks something else interrupted, which BPF ran again before their decision came"
                    + " back", StatsSnapshot::resumed),
            delta("nr_requeued", "Decided tasks a higher class (RT) took the CPU from, which BPF put back in the shared"
                    + " queue for any CPU (7.x kernels)", StatsSnapshot::requeued),
            delta("nr_direct_wakeups", "Woken tasks BPF placed on an idle CPU itself, nothing else waiting",
                    StatsSnapshot::directWakeups),
            delta("nr_idle_while_waiting", "Tasks that started after waiting over a slice while a CPU they may use idled"
                    + " over a slice", StatsSnapshot::idleWhileWaiting),
            delta("nr_idle_claim_lost", "Decisions for an idle CPU another decision had taken",
                    StatsSnapshot::idleClaimLost),
            delta("nr_decisions_refused", "Times the channel to BPF refused a decision for now (sent again later)",
                    StatsSnapshot::sendFull),
            u64("nr_arena_failures", "Tasks the policy could not hold because its arena was full",
                    StatsSnapshot::arenaFailures),
            u64("nr_exit_notices_lost", "Exit notices BPF could not queue", StatsSnapshot::exitNoticesLost),
            u64("nr_reused_pids", "Tasks that came under a pid the policy still held for an earlier task (its exit"
                    + " notice lost or late): the earlier task's state was dropped, not inherited", StatsSnapshot::reusedPids),
            u64("nr_late_exit_notices", "Exit notices that came after another task took the pid: ignored",
                    StatsSnapshot::lateExitNotices),
            u64("nr_reclaimed", "Per-task states the policy took back, its table full, from tasks silent for 30 s",
                    StatsSnapshot::reclaimed),
            u64("sched_alloc_bytes", "Java heap bytes allocated by the scheduling thread since it attached",
                    StatsSnapshot::allocatedBytes),
            u64("runnable_weight", "Total weight of the runnable tasks the policy places (100 = one nice-0 task)",
                    StatsSnapshot::runnableWeight),
            u64("vtime_now", "The policy's clock: the latest deadline a CPU started, in ns of vruntime",
                    StatsSnapshot::vtimeNow));

    /** Fields not taken from the snapshot: they exist without a session too. */
    static final List<Field> DAEMON_FIELDS = List.of(
            new Field("transport_reason", "string", "Why this transport was chosen", false, s -> ""),
            u64("attached", "1 while the scheduler is attached to the kernel", s -> 0L),
            u64("restarts", "Times the kernel asked for a restart (CPU hotplug) and the daemon reattached", s -> 0L),
            u64("jvm_heap_used_bytes", "Java heap in use by the whole daemon", s -> 0L));

    private StatsStruct() {
    }

    /** The struct's current totals (delta fields not yet differenced), zeros before any session. */
    static Map<String, Object> read(DaemonState state) {
        StatsSnapshot s = state.snapshot();
        Map<String, Object> m = new LinkedHashMap<>();
        for (Field f : FIELDS) m.put(f.name(), s == null ? (f.name().equals("transport") ? state.transport()
                : f.name().equals("policy") ? state.policy() : 0L)
                : f.value().apply(s));
        SchedulerView r = state.runner();
        m.put("transport_reason", state.transportReason());
        m.put("attached", r != null && r.attached() ? 1L : 0L);
        m.put("restarts", r == null ? 0L : (long) r.restarts());
        m.put("jvm_heap_used_bytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        return m;
    }

    /** The answer to "stats_meta": this struct described as scx_stats describes a struct. */
    static Map<String, Object> meta() {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (List<Field> group : List.of(FIELDS, DAEMON_FIELDS)) {
            for (Field f : group) fields.put(f.name(), Map.of("datum", f.datum(), "desc", f.desc()));
        }
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("name", NAME);
        struct.put("top", "true");
        struct.put("desc", DESC);
        struct.put("fields", fields);
        return Map.of(NAME, struct);
    }

    /** {@code --help-stats}: every field, its kind and meaning, in the layout scx_stats uses. */
    static String describe() {
        int w = 0;
        for (List<Field> group : List.of(FIELDS, DAEMON_FIELDS)) {
            for (Field f : group) w = Math.max(w, f.name().length());
        }
        StringBuilder sb = new StringBuilder("[" + NAME + "] " + DESC + "\n");
        for (List<Field> group : List.of(FIELDS, DAEMON_FIELDS)) {
            for (Field f : group) {
                sb.append(String.format("  %-" + w + "s %-8s : %s%n", f.name(), "(" + f.datum() + ")", f.desc()));
            }
        }
        return sb.toString();
    }
}
