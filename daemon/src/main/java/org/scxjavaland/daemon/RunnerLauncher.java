package org.scxjavaland.daemon;

import org.scxjavaland.core.bpf.BpfException;
import org.scxjavaland.core.bpf.Libbpf;
import org.scxjavaland.core.sched.RunResult;
import org.scxjavaland.core.sched.SchedulerOptions;
import org.scxjavaland.core.sched.SchedulerRunner;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.transport.Transports;
import org.scxjavaland.daemon.metrics.MetricsAddress;
import org.scxjavaland.daemon.metrics.MetricsServer;
import org.scxjavaland.daemon.metrics.SchedulerMeters;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * What {@code run} and {@code observe} do once their own options are checked, in the order a user can act on the
 * problems, each one line with its own status ({@link ExitCode}): the metrics port (the server starts first and
 * answers before anything attaches), libbpf, the machine (the command's own check), the transport; then the runner,
 * with --stats lines, until a signal or --duration; then the exit line and the summary.
 */
final class RunnerLauncher {
    private RunnerLauncher() {
    }

    /**
     * @param observing    the runner observes (the metrics then include the observer's)
     * @param machineCheck throws {@link ExitException} when this machine cannot do what the command asks
     * @param runnerFor    the runner for the chosen transport and the options
     */
    static int launch(CommonOptions common, SchedulerOptions options, boolean observing, Runnable machineCheck,
                      BiFunction<TransportProvider, SchedulerOptions, SchedulerRunner> runnerFor) {
        InetSocketAddress metricsAddress = common.metrics == null ? null : MetricsAddress.parse(common.metrics);
        Transports.requireKnown(common.transport);

        AtomicReference<SchedulerRunner> running = new AtomicReference<>();
        RunResult result;
        try (MetricsServer server = metricsAddress == null ? null : startMetrics(metricsAddress, running, observing)) {
            requireLibbpf();
            machineCheck.run();
            Transports.Choice choice = choose(common.transport);
            Log.info("transport=" + choice.provider().name() + " (" + choice.reason() + ")");
            if (server != null) Log.info("metrics at http://" + MetricsAddress.describe(server.address()) + "/metrics");

            SignalStop stop = SignalStop.install();
            SchedulerRunner runner = runnerFor.apply(choice.provider(), options);
            running.set(runner);
            StatsPrinter printer = common.statsSecs > 0 ? StatsPrinter.start(runner, common.statsSecs) : null;
            try {
                result = runner.run(stop);
            } finally {
                if (printer != null) printer.stop();
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

    private static MetricsServer startMetrics(InetSocketAddress address, AtomicReference<SchedulerRunner> running,
                                              boolean observing) {
        return SchedulerMeters.serve(address, () -> {
            SchedulerRunner r = running.get();
            return r == null ? null : r.snapshot();
        }, observing);
    }
}
