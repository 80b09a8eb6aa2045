package org.scxjavaland.daemon.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import org.scxjavaland.core.probe.SchedExtSysfs;
import org.scxjavaland.core.sched.ExitInfo;
import org.scxjavaland.core.sched.Log2Histogram;
import org.scxjavaland.core.sched.LoopHistograms;
import org.scxjavaland.core.sched.SchedulerView;
import org.scxjavaland.daemon.DaemonState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What Micrometer's meters cannot say, straight in Prometheus' model, built at scrape time on the scrape thread:
 * the loop's histograms (classic buckets: Micrometer's scrape is the text format, which has no native histograms;
 * the scheduling thread records into preallocated arrays and this turns them into cumulative buckets), whether
 * the scheduler is attached and how sessions ended, the transport chosen and why, and the kernel's sched_ext state
 * and events (label values that change, which Micrometer's fixed tags cannot follow).
 */
final class SchedulerCollector implements MultiCollector {
    /** The state label of a kernel without sched_ext. */
    static final String ABSENT = "absent";
    static final List<String> STATES = List.of("enabled", "disabled", "enabling", "disabling", "prepping", ABSENT);

    private static final int[] ALWAYS_SHOWN_EXITS = {ExitInfo.UNREG, ExitInfo.UNREG_KERN, ExitInfo.ERROR,
            ExitInfo.ERROR_BPF, ExitInfo.ERROR_STALL};

    private final DaemonState state;
    private final SchedExtSysfs sysfs;

    SchedulerCollector(DaemonState state, SchedExtSysfs sysfs) {
        this.state = state;
        this.sysfs = sysfs;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        Labels transport = Labels.of("transport", state.transport());
        out.add(gauge("scx_javaland_transport_info",
                "Always 1: the transport the daemon uses and why it was chosen",
                Labels.of("transport", state.transport(), "reason", state.transportReason()), 1));
        out.add(gauge("scx_javaland_policy_info", "Always 1: the scheduling policy the daemon runs (--policy)",
                Labels.of("policy", state.policy()), 1));
        SchedulerView r = state.runner();
        if (r != null) {
            LoopHistograms h = r.histograms();
            out.add(histogram("scx_javaland_dispatch_latency_seconds",
                    "From ops.enqueue (the kernel's timestamp in the record) to the daemon sending the decision",
                    transport, h.dispatchLatency));
            out.add(histogram("scx_javaland_runqueue_wait_seconds",
                    "Time a task waited in the daemon's run queue, from receipt to the decision sent",
                    transport, h.runQueueWait));
            out.add(histogram("scx_javaland_slice_granted_seconds", "Time slice of each decision",
                    transport, h.sliceGranted));
        }
        out.add(gauge("scx_javaland_attached", "1 while the scheduler is attached to the kernel", transport,
                r != null && r.attached() ? 1 : 0));
        ExitInfo last = r == null ? ExitInfo.RUNNING : r.lastExit();
        out.add(gauge("scx_javaland_exit_kind",
                "SCX_EXIT_* kind of the last session's end (0: none yet; 64 unregistered, 1024 error, 1025 BPF error, "
                        + "1026 stall)", transport, last.kind()));
        CounterSnapshot.Builder exits = CounterSnapshot.builder().name("scx_javaland_scheduler_exits")
                .help("Sessions that ended, by the kernel's exit kind");
        // the kinds an alert asks about are there from the start, at 0, so that increase() sees their first exit
        Map<Integer, Long> byKind = new java.util.TreeMap<>();
        for (int k : ALWAYS_SHOWN_EXITS) byKind.put(k, 0L);
        if (r != null) byKind.putAll(r.exitsByKind());
        {
            for (Map.Entry<Integer, Long> e : byKind.entrySet()) {
                exits.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of("transport", state.transport(), "kind", kindLabel(e.getKey())))
                        .value(e.getValue()).build());
            }
        }
        out.add(exits.build());
        out.add(counter("scx_javaland_restarts", "Reattachments after the kernel asked for a restart (CPU hotplug)",
                transport, r == null ? 0 : r.restarts()));
        kernel(out);
        return new MetricSnapshots(out);
    }

    private void kernel(List<MetricSnapshot> out) {
        String state = sysfs.state();
        String current = state == null ? ABSENT : state;
        GaugeSnapshot.Builder states = GaugeSnapshot.builder().name("scx_javaland_sched_ext_state")
                .help("The kernel's sched_ext state (/sys/kernel/sched_ext/state): 1 for the current one");
        for (String s : STATES) {
            states.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("state", s))
                    .value(s.equals(current) ? 1 : 0).build());
        }
        out.add(states.build());
        String ops = sysfs.ops();
        if (ops != null) {
            out.add(gauge("scx_javaland_sched_ext_ops_info",
                    "Always 1: the scheduler the kernel has attached (/sys/kernel/sched_ext/root/ops)",
                    Labels.of("ops", ops), 1));
        }
        long seq = sysfs.number("enable_seq");
        if (seq >= 0) {
            out.add(counter("scx_javaland_sched_ext_enables",
                    "sched_ext schedulers enabled since boot (/sys/kernel/sched_ext/enable_seq)", Labels.EMPTY, seq));
        }
        long rejected = sysfs.number("nr_rejected");
        if (rejected >= 0) {
            out.add(counter("scx_javaland_sched_ext_rejected_tasks",
                    "Tasks the kernel refused to switch to sched_ext (/sys/kernel/sched_ext/nr_rejected)",
                    Labels.EMPTY, rejected));
        }
        Map<String, Long> events = sysfs.events();
        if (!events.isEmpty()) {
            CounterSnapshot.Builder ev = CounterSnapshot.builder().name("scx_javaland_sched_ext_events")
                    .help("The attached scheduler's sched_ext events (/sys/kernel/sched_ext/root/events)");
            for (Map.Entry<String, Long> e : events.entrySet()) {
                ev.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of("event", e.getKey())).value(e.getValue()).build());
            }
            out.add(ev.build());
        }
    }

    /** Short, label-friendly names for SCX_EXIT_* kinds. */
    static String kindLabel(int kind) {
        return switch (kind) {
            case ExitInfo.NONE -> "none";
            case ExitInfo.DONE -> "done";
            case ExitInfo.UNREG -> "unreg";
            case ExitInfo.UNREG_BPF -> "unreg_bpf";
            case ExitInfo.UNREG_KERN -> "unreg_kern";
            case ExitInfo.SYSRQ -> "sysrq";
            case ExitInfo.ERROR -> "error";
            case ExitInfo.ERROR_BPF -> "error_bpf";
            case ExitInfo.ERROR_STALL -> "error_stall";
            default -> "kind_" + kind;
        };
    }

    static HistogramSnapshot histogram(String name, String help, Labels labels, Log2Histogram h) {
        double[] bounds = new double[Log2Histogram.BUCKETS];
        long[] counts = new long[Log2Histogram.BUCKETS];
        for (int i = 0; i < Log2Histogram.BUCKETS; i++) {
            long ub = Log2Histogram.upperBoundNs(i);
            bounds[i] = ub == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : ub / 1e9;
            counts[i] = h.count(i);
        }
        return HistogramSnapshot.builder().name(name).help(help).unit(Unit.SECONDS)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(h.sumNs() / 1e9).labels(labels).build())
                .build();
    }

    private static GaugeSnapshot gauge(String name, String help, Labels labels, double v) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(v).build()).build();
    }

    private static CounterSnapshot counter(String name, String help, Labels labels, double v) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(v).build()).build();
    }
}
