package org.scxjavaland.daemon.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The daemon as a process: build info, the JVM (GC pauses and counts, memory pools, threads, classes, JIT) and the
 * process (CPU, resident memory, file descriptors, uptime). Micrometer's binders read JMX on the scrape thread;
 * the GC binder listens for GC notifications on the JVM's notification thread. None touches the scheduling thread.
 */
final class ProcessMeters {
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE = 4096;

    private ProcessMeters() {
    }

    /** Binds everything; returns what must stay reachable (the GC binder holds its listeners, close it last). */
    static List<AutoCloseable> bind(MeterRegistry r, String version, String opsName) {
        // Two of the processor binder's names break Prometheus' conventions (promtool check metrics): the CPU time
        // in ns (process_cpu_seconds_total below is the conventional one) and a gauge ending in _count.
        r.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        r.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        List<AutoCloseable> keep = new ArrayList<>();
        Gauge.builder("scx_javaland.build.info", () -> 1)
                .description("Always 1: the build that runs (version, the kernel-visible ops name, the JVM)")
                .tag("version", version).tag("ops_name", opsName).tag("java_version", Runtime.version().toString())
                .register(r);
        new JvmMemoryMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ClassLoaderMetrics().bindTo(r);
        new JvmInfoMetrics().bindTo(r);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(r);
        keep.add(gc);
        new ProcessorMetrics().bindTo(r);
        new FileDescriptorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time the daemon used, all threads").register(r);
        }
        Gauge.builder("process.resident.memory", ProcessMeters::residentBytes).baseUnit("bytes")
                .description("Resident set size of the daemon (locked: it should stay flat)").register(r);
        return keep;
    }

    /** RSS from /proc/self/statm (pages; every Linux we run on has 4 KiB base pages), NaN where unreadable. */
    static double residentBytes() {
        try {
            String[] f = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(f[1]) * PAGE;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
