package org.scxjavaland.daemon;

import org.scxjavaland.core.sched.SchedulerOptions;
import org.scxjavaland.core.transport.TransportOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


/**
 * The options {@code run} and {@code observe} share (a picocli mixin): the transport, the policy and its slices, and how
 * the daemon reports. Both commands read them the same way, so the policy decides the same under either.
 */
final class CommonOptions {
    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "auto",
            description = "How tasks and decisions travel between BPF and the daemon: ringbuf (memory-mapped BPF "
                    + "ring buffers, no syscall per task), fifo (BPF queue maps, one bpf() call per task) or auto "
                    + "(ringbuf where the kernel supports it, else fifo; set SCX_JAVALAND_FORCE_TRANSPORT=fifo to "
                    + "force the fallback). Default: ${DEFAULT-VALUE}.")
    String transport;

    @Mixin
    PolicyChoice policy;

    @Option(names = {"-s", "--slice-us"}, paramLabel = "US", defaultValue = "20000",
            description = "Time slice of a nice-0 task in microseconds, and the longest: a task gets it scaled by "
                    + "its weight (nice 5: a third), never below --slice-us-min. Default: ${DEFAULT-VALUE}.")
    long sliceUs;

    @Option(names = {"-S", "--slice-us-min"}, paramLabel = "US", defaultValue = "1000",
            description = "Minimum time slice in microseconds. Default: ${DEFAULT-VALUE}.")
    long sliceUsMin;

    @Option(names = "--stats", paramLabel = "SECS", defaultValue = "0",
            description = "Print one summary line every SECS seconds (0: off).")
    int statsSecs;

    @Option(names = "--duration", paramLabel = "SECS", defaultValue = "0",
            description = "Detach after SECS seconds (0: run until stopped).")
    long durationSecs;

    @Option(names = "--channel-records", paramLabel = "N", defaultValue = "4096",
            description = "Records each direction of the transport holds (ring buffers are rounded up to whole "
                    + "pages). When the channel to the daemon is full, BPF keeps the task (run: in a shared queue; "
                    + "observe: counted as a drop) and says so. 1 to 65536. Default: ${DEFAULT-VALUE}.")
    int channelRecords;

    @Option(names = "--metrics", paramLabel = "ADDR",
            description = "Serve Prometheus metrics at http://ADDR/metrics: PORT (on 127.0.0.1), HOST:PORT, :PORT "
                    + "(every interface) or [IPV6]:PORT. Off unless given.")
    String metrics;

    @Option(names = {"-v", "--verbose"}, description = "Show stack traces of errors, and at exit check that every "
            + "task handed over is accounted for (decided, superseded, held, or cancelled by BPF). A failed BPF load "
            + "ends its message with libbpf's last warnings, verbose or not; libbpf's other lines are not printed, "
            + "since a write once attached could wait on a task only the daemon schedules.")
    boolean verbose;

    @Option(names = "--ab-stats", paramLabel = "FILE", hidden = true,
            description = "For 'scx_javaland ab': append the counters it measures to FILE as one JSON line every "
                    + "100 ms (AbStatsWriter; docs/benchmarks.md).")
    java.nio.file.Path abStats;

    /** The checks of values both commands take; a bad one is a usage error (IllegalArgumentException). */
    void validate() {
        policy.load();
        if (sliceUs <= 0 || sliceUsMin <= 0 || sliceUsMin > sliceUs) {
            throw new IllegalArgumentException("slices must be positive and --slice-us-min <= --slice-us (got -s "
                    + sliceUs + " -S " + sliceUsMin + ")");
        }
        if (channelRecords < 1 || channelRecords > 1 << 16) {
            throw new IllegalArgumentException("--channel-records must be between 1 and 65536 (got "
                    + channelRecords + ")");
        }
        if (abStats != null) AbStatsWriter.requireWritable(abStats);
        if (statsSecs < 0 || durationSecs < 0) {
            throw new IllegalArgumentException("--stats and --duration cannot be negative");
        }
    }

    SchedulerOptions toSchedulerOptions(boolean partial, int exitDumpLen, int timeoutMs) {
        return new SchedulerOptions(sliceUs * 1000, sliceUsMin * 1000, partial, verbose, exitDumpLen, timeoutMs,
                durationSecs * 1_000_000_000L, new TransportOptions(channelRecords), Version.opsName(), policy.name);
    }
}
