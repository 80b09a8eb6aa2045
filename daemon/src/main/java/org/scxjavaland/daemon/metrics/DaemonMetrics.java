package org.scxjavaland.daemon.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.scxjavaland.core.probe.SchedExtSysfs;
import org.scxjavaland.daemon.DaemonState;

import java.net.InetSocketAddress;

/**
 * The daemon's {@code /metrics}, in two steps: {@link #serve} at start-up (build info, JVM and process, answered
 * before anything else is checked), then {@link #bindScheduler} once the transport is chosen (every scheduler
 * series carries a {@code transport} label).
 */
public final class DaemonMetrics {
    private DaemonMetrics() {
    }

    public static MetricsServer serve(InetSocketAddress address, DaemonState state) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return MetricsServer.startChecked(address, registry,
                ProcessMeters.bind(registry, state.version(), state.opsName()));
    }

    /** Adds the scheduler's series, read from {@code state} (its runner, once there is one). */
    public static void bindScheduler(MetricsServer server, DaemonState state) {
        bindScheduler(server, state, false);
    }

    /** As {@link #bindScheduler(MetricsServer, DaemonState)}, with the observer's series too when {@code observing}. */
    public static void bindScheduler(MetricsServer server, DaemonState state, boolean observing) {
        bindScheduler(server, state, SchedExtSysfs.HOST_DIR, observing);
    }

    static void bindScheduler(MetricsServer server, DaemonState state, java.nio.file.Path sysfsRoot) {
        bindScheduler(server, state, sysfsRoot, false);
    }

    static void bindScheduler(MetricsServer server, DaemonState state, java.nio.file.Path sysfsRoot,
                              boolean observing) {
        PrometheusMeterRegistry registry = server.registry();
        SchedulerMeters meters = SchedulerMeters.bind(registry, state::snapshot, Tags.of("transport", state.transport()));
        if (observing) meters.bindObserver(registry);
        server.keep(meters);
        registry.getPrometheusRegistry().register(new SchedulerCollector(state, new SchedExtSysfs(sysfsRoot)));
    }
}
