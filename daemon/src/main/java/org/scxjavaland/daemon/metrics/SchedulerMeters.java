package org.scxjavaland.daemon.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.scxjavaland.core.sched.Stat;
import org.scxjavaland.core.sched.StatsSnapshot;

import java.net.InetSocketAddress;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The scheduler's counters as Micrometer meters, one per {@link Stat} with a meter name: the same
 * {@link StatsSnapshot} the stats line and the summary print, read when a registry is scraped (on the scraper's
 * thread, never on the scheduling thread).
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
        for (Stat stat : Stat.values()) {
            switch (stat.meterKind()) {
                case NONE -> {
                }
                case COUNTER -> m.counter(registry, stat.meterName(), stat.meterUnit(), stat.description(),
                        s -> s.get(stat));
                case GAUGE -> m.gauge(registry, stat.meterName(), stat.description(), s -> s.get(stat));
            }
        }
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
