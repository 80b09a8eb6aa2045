package org.scxjavaland.daemon;

import org.scxjavaland.bpf.BpfException;
import org.scxjavaland.bpf.Libbpf;
import org.scxjavaland.core.policy.PolicyProvider;
import org.scxjavaland.core.policy.PolicyProviders;
import org.scxjavaland.core.sched.RunResult;
import org.scxjavaland.core.sched.SchedExtPreflight;
import org.scxjavaland.core.sched.SchedulerOptions;
import org.scxjavaland.core.sched.SchedulerRunner;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.transport.Transports;
import org.scxjavaland.daemon.metrics.DaemonMetrics;
import org.scxjavaland.daemon.metrics.MetricsAddress;
import org.scxjavaland.daemon.metrics.MetricsServer;
import org.scxjavaland.daemon.stats.StatsSocketServer;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * What {@code run} and {@code observe} do once their own options are checked, in the order a user can act on the
 * problems, each one line with its own status ({@link ExitCode}): the metrics port (the server starts first, with
 * build info, JVM and process series, and answers before anything attaches), libbpf, the machine (the command's own
 * check), the transport; then the scx_stats socket where the command serves one; then the runner, with --stats
 * lines, until a signal or --duration; then the exit line (and the kernel's dump after an ejection) and the summary.
 */
final class RunnerLauncher {
    private RunnerLauncher() {
    }

    /**
     * @param observing    the runner observes (the metrics then include the observer's)
     * @param statsSocket  where to serve the scx_stats protocol, or null for none
     * @param machineCheck why this machine cannot do what the command asks, if it cannot (then: one line, and
     *                     the problem's exit status)
     * @param runnerFor    the runner for the chosen transport and the options
     */
    static int launch(CommonOptions common, SchedulerOptions options, boolean observing, Path statsSocket,
                      Supplier<Optional<SchedExtPreflight.Problem>> machineCheck,
                      BiFunction<TransportProvider, SchedulerOptions, SchedulerRunner> runnerFor) {
        InetSocketAddress metricsAddress = common.metrics == null ? null : MetricsAddress.parse(common.metrics);
        Transports.requireKnown(common.transport);

        DaemonState state = new DaemonState(Version.current(), options.opsName());
        state.policy(options.policy());
        RunResult result;
        try (MetricsServer server = metricsAddress == null ? null : DaemonMetrics.serve(metricsAddress, state)) {
            requireLibbpf();
            machineCheck.get().ifPresent(problem -> {
                throw new ExitException(ExitCode.of(problem.kind()), problem.message());
            });
            Transports.Choice choice = choose(common.transport);
            state.transport(choice.provider().name(), choice.reason());
            Log.info("transport=" + choice.provider().name() + " (" + choice.reason() + ")");
            PolicyProvider policy = PolicyProviders.find(options.policy());
            Log.info("policy=" + policy.name() + " (" + policy.description() + ")"
                    + (PolicyProviders.fromPolicyJar(policy) ? " from " + PolicyProviders.origin(policy) : ""));
            if (server != null) {
                DaemonMetrics.bindScheduler(server, state, observing);
                Log.info("metrics at http://" + MetricsAddress.describe(server.address()) + "/metrics");
            }
            // After the checks: a daemon that is refused must not take the socket of the scheduler that runs.
            try (StatsSocketServer stats = statsSocket == null ? null : StatsSocketServer.start(statsSocket, state)) {
                if (stats != null) {
                    stats.selfCheck();
                    Log.info("scx_stats at " + stats.path());
                }
                SignalStop stop = SignalStop.install();
                SchedulerRunner runner = runnerFor.apply(choice.provider(), options);
                state.runner(runner);
                StatsPrinter printer = common.statsSecs > 0 ? StatsPrinter.start(runner, common.statsSecs) : null;
                // runner.run makes this thread the scheduling thread: its tid is the one ab reads the CPU time of.
                AbStatsWriter ab = common.abStats == null ? null
                        : AbStatsWriter.start(runner, common.abStats, org.scxjavaland.sys.LibC.gettid());
                try {
                    result = runner.run(stop);
                } finally {
                    if (printer != null) printer.stop();
                    if (ab != null) ab.stop();
                }
            }
        }
        Log.info(result.exitLine());
        printKernelDump(result);
        System.out.println(result.summaryLine());
        System.out.flush();
        return result.exitCode();
    }

    /**
     * After an ejection the kernel's state dump (what each CPU ran, what waited in which DSQ) says why; the kernel
     * does not log it, so it would be lost with the scheduler. (An observer has no dump: nothing is printed.)
     */
    private static void printKernelDump(RunResult result) {
        String dump = result.exit().dump();
        if (!result.exit().isError() || dump.isEmpty()) return;
        System.err.println("the kernel's state dump at the ejection (first " + dump.length() + " bytes):");
        System.err.println(dump.endsWith("\n") ? dump.substring(0, dump.length() - 1) : dump);
        System.err.println("end of the kernel's state dump");
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
