package org.scxjavaland.daemon.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.scxjavaland.core.sched.StatsSnapshot;

import java.net.InetSocketAddress;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The scheduler's counters as Micrometer meters: the same {@link StatsSnapshot} the stats line and the summary print,
 * read when a registry is scraped (on the scraper's thread, never on the scheduling thread).
 * <p>
 * One scrape reads every meter; the snapshot is taken once per {@link #MAX_AGE_NANOS} and shared by them, so a
 * scrape is one consistent reading and costs one snapshot. Before the first session and between sessions (a kernel
 * restart request) the last snapshot stays; before any, counters read 0 and gauges NaN.
 */
public final class SchedulerMeters {
    static final long MAX_AGE_NANOS = 500_000_000L;

    private final Supplier<StatsSnapshot> source;
    private final Iterable<Tag> tags;
    private StatsSnapshot last;
    private long lastNanos;

    private SchedulerMeters(Supplier<StatsSnapshot> source, Iterable<Tag> tags) {
        this.source = source;
        this.tags = tags;
    }

    /**
     * Registers the scheduler's meters in {@code registry}, reading from {@code source} (null = no session now).
     * Hold the result as long as the meters are read: Micrometer's function meters keep it only weakly.
     */
    public static SchedulerMeters bind(MeterRegistry registry, Supplier<StatsSnapshot> source) {
        return bind(registry, source, Tags.empty());
    }

    /** As {@link #bind(MeterRegistry, Supplier)}, every meter carrying {@code tags} (the daemon: its transport). */
    public static SchedulerMeters bind(MeterRegistry registry, Supplier<StatsSnapshot> source, Iterable<Tag> tags) {
        SchedulerMeters m = new SchedulerMeters(source, tags);
        // First: a scheduler that faults or collects garbage while tasks wait on it can stall the machine.
        m.counter(registry, "scx_javaland.sched.thread.page.faults", null,
                "Minor and major page faults of the scheduling thread since the scheduler attached (should stay 0)",
                StatsSnapshot::pageFaults);
        m.counter(registry, "scx_javaland.sched.thread.allocated", "bytes",
                "Java heap bytes allocated by the scheduling thread since the scheduler attached",
                StatsSnapshot::allocatedBytes);

        m.counter(registry, "scx_javaland.records.queued", null,
                "Records BPF handed to the daemon", StatsSnapshot::nrQueued);
        m.counter(registry, "scx_javaland.records.received", null,
                "Records the daemon took from BPF (queued tasks and exit notices)", StatsSnapshot::received);
        m.counter(registry, "scx_javaland.user.dispatches", null,
                "Tasks dispatched by BPF on the daemon's decision", StatsSnapshot::userDispatches);
        m.counter(registry, "scx_javaland.decisions.sent", null,
                "Decisions the daemon sent to BPF (tasks it scheduled)", StatsSnapshot::loopDispatched);
        m.counter(registry, "scx_javaland.kernel.dispatches", null,
                "Tasks BPF dispatched itself, without asking the daemon",
                StatsSnapshot::kernelDispatches);
        m.counter(registry, "scx_javaland.cancel.dispatches", null,
                "Stale decisions BPF dropped (the task was enqueued again or is gone)",
                StatsSnapshot::cancelDispatches);
        m.counter(registry, "scx_javaland.bounce.dispatches", null,
                "Decisions that named a CPU the task may not use (BPF sent the task to the shared queue)",
                StatsSnapshot::bounceDispatches);
        m.counter(registry, "scx_javaland.failed.dispatches", null,
                "Malformed decisions BPF refused", StatsSnapshot::failedDispatches);
        m.counter(registry, "scx_javaland.preempt.kicks", null,
                "CPUs BPF kicked so that a woken task could preempt a later-deadline one",
                StatsSnapshot::preemptKicks);
        m.counter(registry, "scx_javaland.kept.running", null,
                "Slices that ended with nothing waiting due before the task, which BPF then kept running",
                StatsSnapshot::keptRunning);
        m.counter(registry, "scx_javaland.resumed", null,
                "Decided tasks something else interrupted, which BPF ran again before their decision came back",
                StatsSnapshot::resumed);
        m.counter(registry, "scx_javaland.requeued", null,
                "Decided tasks a higher class (RT) took the CPU from, which BPF put back in the shared queue for any"
                        + " CPU (7.x kernels)",
                StatsSnapshot::requeued);
        m.counter(registry, "scx_javaland.direct.wakeups", null,
                "Woken tasks BPF placed on an idle CPU itself because nothing else waited (no round trip)",
                StatsSnapshot::directWakeups);
        m.counter(registry, "scx_javaland.idle.while.waiting", null,
                "Tasks that started after waiting over a slice while a CPU they may use had idled over a slice",
                StatsSnapshot::idleWhileWaiting);
        m.counter(registry, "scx_javaland.idle.claim.lost", null,
                "Decisions that named an idle CPU another decision had taken (BPF sent them to the shared queue)",
                StatsSnapshot::idleClaimLost);
        m.counter(registry, "scx_javaland.congested", null,
                "Tasks BPF could not hand to the daemon (channel full) and sent to the fallback queue",
                StatsSnapshot::congested);
        m.counter(registry, "scx_javaland.exit.notices.lost", null,
                "Exit notices BPF could not queue", StatsSnapshot::exitNoticesLost);
        m.counter(registry, "scx_javaland.decisions.refused", null,
                "Times the channel to BPF refused a decision for now (it was sent again later)",
                StatsSnapshot::sendFull);
        m.counter(registry, "scx_javaland.tasks.bounced", null,
                "Tasks the daemon sent back to the kernel's shared queue (it could not hold them)",
                StatsSnapshot::bouncedToShared);
        m.counter(registry, "scx_javaland.arena.failures", null,
                "Tasks the policy could not hold because its arena was full", StatsSnapshot::arenaFailures);
        m.counter(registry, "scx_javaland.pids.reused", null,
                "Tasks that came under a pid the policy still held for an earlier task; the earlier state was dropped",
                StatsSnapshot::reusedPids);
        m.counter(registry, "scx_javaland.exit.notices.late", null,
                "Exit notices that came after another task took the pid (ignored)", StatsSnapshot::lateExitNotices);
        m.counter(registry, "scx_javaland.tasks.reclaimed", null,
                "Per-task states taken back from tasks silent for 30 s because the policy's table was full",
                StatsSnapshot::reclaimed);
        m.counter(registry, "scx_javaland.tasks.exited", null,
                "Exit notices the daemon processed (tasks that ended)", StatsSnapshot::exits);

        m.gauge(registry, "scx_javaland.tasks.tracked", "Tasks the policy holds state for", StatsSnapshot::tasksTracked);
        m.gauge(registry, "scx_javaland.tasks.held", "Tasks waiting in the daemon for a decision", StatsSnapshot::held);
        m.gauge(registry, "scx_javaland.tasks.running", "Tasks running on a CPU under the scheduler",
                StatsSnapshot::nrRunning);
        m.gauge(registry, "scx_javaland.cpus.online", "Online CPUs", StatsSnapshot::nrOnlineCpus);
        return m;
    }

    /**
     * The observer's meters ({@code observe}), beside those of {@link #bind}: events, drops, decisions drained and
     * the decision latency since attaching.
     */
    public void bindObserver(MeterRegistry registry) {
        counter(registry, "scx_javaland.observe.events", null,
                "Records the tracepoint programs tried to hand to the daemon (produced + dropped)",
                s -> s.observe() == null ? 0 : s.observe().events());
        counter(registry, "scx_javaland.observe.dropped", null,
                "Records the channel to the daemon had no room for",
                s -> s.observe() == null ? 0 : s.observe().dropped());
        counter(registry, "scx_javaland.observe.decisions.drained", null,
                "Decisions BPF read back from the daemon",
                s -> s.observe() == null ? 0 : s.observe().drained());
        latencyGauge(registry, "scx_javaland.observe.decision.latency.p50", 0.50);
        latencyGauge(registry, "scx_javaland.observe.decision.latency.p99", 0.99);
    }

    private void latencyGauge(MeterRegistry r, String name, double q) {
        Gauge.builder(name, this, m -> m.value(s -> s.observe() == null ? -1
                        : s.observe().latencyPercentileNs(q, null), Double.NaN, true))
                .description("Decision latency since attaching, quantile " + q + ": from the record's production in "
                        + "BPF to BPF reading the decision back (bucket upper bound, within 12.5 %)")
                .baseUnit("seconds").tags(tags).register(r);
    }

    /**
     * A Prometheus registry with the scheduler's meters, served at {@code address}, and checked by one scrape of its
     * own: call before the scheduler attaches, so that the classes a scrape needs are loaded while nothing waits on
     * this process (docs/architecture.md, "Once attached").
     */
    public static MetricsServer serve(InetSocketAddress address, Supplier<StatsSnapshot> source) {
        return serve(address, source, false);
    }

    /** {@link #serve(InetSocketAddress, Supplier)}, with the observer's meters too when {@code observing}. */
    public static MetricsServer serve(InetSocketAddress address, Supplier<StatsSnapshot> source, boolean observing) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SchedulerMeters meters = bind(registry, source);
        if (observing) meters.bindObserver(registry);
        return MetricsServer.startChecked(address, registry, meters);
    }

    private void counter(MeterRegistry r, String name, String unit, String help, ToLongFunction<StatsSnapshot> f) {
        FunctionCounter.builder(name, this, m -> m.value(f, 0)).description(help).baseUnit(unit).tags(tags).register(r);
    }

    private void gauge(MeterRegistry r, String name, String help, ToLongFunction<StatsSnapshot> f) {
        Gauge.builder(name, this, m -> m.value(f, Double.NaN)).description(help).tags(tags).register(r);
    }

    private double value(ToLongFunction<StatsSnapshot> f, double none) {
        return value(f, none, false);
    }

    /** With {@code nanosToSeconds}, a negative value (no sample yet) reads as {@code none}. */
    private synchronized double value(ToLongFunction<StatsSnapshot> f, double none, boolean nanosToSeconds) {
        long now = System.nanoTime();
        if (last == null || now - lastNanos > MAX_AGE_NANOS) {
            StatsSnapshot s = source.get();
            if (s != null) last = s;
            lastNanos = now;
        }
        if (last == null) return none;
        long v = f.applyAsLong(last);
        if (!nanosToSeconds) return v;
        return v < 0 ? none : v / 1e9;
    }
}
