package org.scxjavaland.daemon;

import org.scxjavaland.core.bpf.BpfException;
import org.scxjavaland.core.bpf.Libbpf;
import org.scxjavaland.core.sched.RunResult;
import org.scxjavaland.core.sched.SchedulerOptions;
import org.scxjavaland.core.sched.SchedulerRunner;
import org.scxjavaland.core.sched.SchedExtPreflight;
import org.scxjavaland.core.transport.TransportOptions;
import org.scxjavaland.core.transport.Transports;
import org.scxjavaland.daemon.metrics.MetricsAddress;
import org.scxjavaland.daemon.metrics.MetricsServer;
import org.scxjavaland.daemon.metrics.DaemonMetrics;
import org.scxjavaland.daemon.stats.StatsSocketServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code scx_javaland run}: attach the scheduler and schedule until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
                "Attach the scheduler and schedule every task (or, with -p, only SCHED_EXT tasks) until "
                        + "SIGINT/SIGTERM/SIGHUP, --duration, or the kernel ends it. Needs root and a kernel with "
                        + "sched_ext."},
        exitCodeListHeading = "%nExit status:%n",
        sortOptions = false)
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "auto",
            description = "How tasks and decisions travel between BPF and the daemon: ringbuf (memory-mapped BPF "
                    + "ring buffers, no syscall per task), fifo (BPF queue maps, one bpf() call per task) or auto "
                    + "(ringbuf where the kernel supports it, else fifo; set SCX_JAVALAND_FORCE_TRANSPORT=fifo to "
                    + "force the fallback). Default: ${DEFAULT-VALUE}.")
    String transport;

    @Option(names = {"-s", "--slice-us"}, paramLabel = "US", defaultValue = "20000",
            description = "Time slice of a nice-0 task in microseconds, and the longest: a task gets it scaled by "
                    + "its weight (nice 5: a third), never below --slice-us-min. Default: ${DEFAULT-VALUE}.")
    long sliceUs;

    @Option(names = {"-S", "--slice-us-min"}, paramLabel = "US", defaultValue = "1000",
            description = "Minimum time slice in microseconds. Default: ${DEFAULT-VALUE}.")
    long sliceUsMin;

    @Option(names = {"-p", "--partial"},
            description = "Schedule only tasks that chose SCHED_EXT; everything else stays with the kernel's scheduler.")
    boolean partial;

    @Option(names = "--stats", paramLabel = "SECS", defaultValue = "0",
            description = "Print one summary line every SECS seconds (0: off).")
    int statsSecs;

    @Option(names = "--duration", paramLabel = "SECS", defaultValue = "0",
            description = "Detach after SECS seconds (0: run until stopped).")
    long durationSecs;

    @Option(names = "--exit-dump-len", paramLabel = "BYTES", defaultValue = "0",
            description = "Size of the kernel's debug dump when the scheduler is ejected (0: the kernel's default).")
    int exitDumpLen;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "5000",
            description = "The kernel ejects the scheduler when a runnable task waits longer than this "
                    + "(sched_ext watchdog, at most 30000). Default: ${DEFAULT-VALUE}.")
    int timeoutMs;

    @Option(names = "--channel-records", paramLabel = "N", defaultValue = "4096",
            description = "Records each direction of the transport holds (ring buffers are rounded up to whole "
                    + "pages). When the channel to the daemon is full, BPF keeps the task and runs it from a shared "
                    + "queue (counted as congested): nothing is lost. 1 to 65536. Default: ${DEFAULT-VALUE}.")
    int channelRecords;

    @Option(names = "--metrics", paramLabel = "ADDR",
            description = "Serve Prometheus metrics at http://ADDR/metrics: PORT (on 127.0.0.1), HOST:PORT, :PORT "
                    + "(every interface) or [IPV6]:PORT. Off unless given.")
    String metrics;

    @Option(names = "--stats-socket", paramLabel = "PATH", defaultValue = "/var/run/scx/root/stats",
            description = "Serve the scx_stats protocol (what 'scx_javaland --monitor' and scxtop read) on this unix "
                    + "socket; 'none': do not. Default: ${DEFAULT-VALUE}.")
    String statsSocket;

    @Option(names = {"-v", "--verbose"}, description = "Log libbpf output and show stack traces of errors.")
    boolean verbose;

    /**
     * Checks in the order a user can act on them, each failure one line with its own status ({@link ExitCode}):
     * the command line, the metrics port (the server starts first and answers before anything attaches), libbpf,
     * then the machine (sched_ext, BTF, privileges, another scheduler, the transport).
     */
    @Override
    public Integer call() {
        if (sliceUs <= 0 || sliceUsMin <= 0 || sliceUsMin > sliceUs) {
            throw new IllegalArgumentException("slices must be positive and --slice-us-min <= --slice-us (got -s "
                    + sliceUs + " -S " + sliceUsMin + ")");
        }
        if (timeoutMs < 100 || timeoutMs > 30_000) {
            throw new IllegalArgumentException("--timeout-ms must be between 100 and 30000 (got " + timeoutMs + ")");
        }
        if (channelRecords < 1 || channelRecords > 1 << 16) {
            throw new IllegalArgumentException("--channel-records must be between 1 and 65536 (got "
                    + channelRecords + ")");
        }
        if (statsSecs < 0 || durationSecs < 0 || exitDumpLen < 0) {
            throw new IllegalArgumentException("--stats, --duration and --exit-dump-len cannot be negative");
        }
        InetSocketAddress metricsAddress = metrics == null ? null : MetricsAddress.parse(metrics);
        Transports.requireKnown(transport);

        Path statsPath = statsSocket.equals("none") ? null : Path.of(statsSocket);
        if (statsPath != null && (statsSocket.isBlank() || Files.isDirectory(statsPath))) {
            throw new IllegalArgumentException("--stats-socket '" + statsSocket + "': a socket path, or 'none'");
        }

        DaemonState state = new DaemonState(Version.current(), Version.opsName());
        RunResult result;
        try (MetricsServer server = metricsAddress == null ? null : DaemonMetrics.serve(metricsAddress, state)) {
            requireLibbpf();
            SchedExtPreflight.check().ifPresent(problem -> {
                throw new ExitException(ExitCode.of(problem.kind()), problem.message());
            });
            Transports.Choice choice = choose(transport);
            state.transport(choice.provider().name(), choice.reason());
            Log.info("transport=" + choice.provider().name() + " (" + choice.reason() + ")");
            if (server != null) {
                DaemonMetrics.bindScheduler(server, state);
                Log.info("metrics at http://" + MetricsAddress.describe(server.address()) + "/metrics");
            }
            // After the checks: a daemon that is refused must not take the socket of the scheduler that runs.
            try (StatsSocketServer stats = statsPath == null ? null : StatsSocketServer.start(statsPath, state)) {
                if (stats != null) {
                    stats.selfCheck();
                    Log.info("scx_stats at " + stats.path());
                }
                SchedulerOptions options = new SchedulerOptions(sliceUs * 1000, sliceUsMin * 1000, partial, verbose,
                        exitDumpLen, timeoutMs, durationSecs * 1_000_000_000L, new TransportOptions(channelRecords),
                        state.opsName());
                SignalStop stop = SignalStop.install();
                SchedulerRunner runner = new SchedulerRunner(choice.provider(), options, Log::info);
                state.runner(runner);
                StatsPrinter printer = statsSecs > 0 ? StatsPrinter.start(runner, statsSecs) : null;
                try {
                    result = runner.run(stop);
                } finally {
                    if (printer != null) printer.stop();
                }
            }
        }
        Log.info(result.exitLine());
        System.out.println(result.summaryLine());
        System.out.flush();
        return result.exitCode();
    }

    /** libbpf is found and loaded here, so that a missing or old one is an installation problem, said first. */
    private static void requireLibbpf() {
        try {
            Libbpf.get();
        } catch (BpfException e) {
            throw new ExitException(ExitCode.INSTALLATION, e.getMessage(), e);
        }
    }

    /** A transport that exists but is not available here is the kernel's limit, not a usage error. */
    private static Transports.Choice choose(String name) {
        try {
            return Transports.choose(name);
        } catch (Transports.UnknownTransportException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCode.UNSUPPORTED, e.getMessage(), e);
        }
    }
}
