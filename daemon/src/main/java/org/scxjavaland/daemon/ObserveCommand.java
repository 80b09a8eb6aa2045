package org.scxjavaland.daemon;

import org.scxjavaland.core.sched.SchedExtPreflight;
import org.scxjavaland.core.sched.SchedulerRunner;
import org.scxjavaland.core.sched.Tracepoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code scx_javaland observe}: the daemon as {@code run} runs it (transport, loop, policy, counters, metrics), fed by
 * the scheduler tracepoints of a kernel without sched_ext; its decisions go back to BPF, which counts and times them
 * and enforces nothing.
 */
@Command(name = "observe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
                "Run the daemon's transport, loop and policy on the live kernel without scheduling anything: BPF "
                        + "programs on sched_wakeup, sched_wakeup_new, sched_switch and sched_process_exit send the "
                        + "records sched_ext's enqueue would send; the decisions come back and are drained, counted "
                        + "and timed in BPF, and the kernel's own scheduler keeps scheduling. Needs root (or CAP_BPF "
                        + "and CAP_PERFMON) and kernel BTF, not sched_ext. Stops on SIGINT/SIGTERM/SIGHUP or "
                        + "--duration; --stats and the summary add events/s, decisions/s, drops and the decision "
                        + "latency (p50, p99) to run's counters."},
        exitCodeListHeading = "%nExit status:%n",
        sortOptions = false)
public final class ObserveCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--tracepoints", paramLabel = "KIND", defaultValue = "auto",
            description = "btf (tp_btf programs), raw (raw tracepoints, for kernels whose BTF lacks the tracepoint "
                    + "types) or auto (btf where it loads, else raw). Default: ${DEFAULT-VALUE}.")
    String tracepoints;

    @Override
    public Integer call() {
        if (common.policy.printedHelp(spec.commandLine().getOut())) return 0;
        common.validate();
        Tracepoints kind = Tracepoints.parse(tracepoints);
        // No sched_ext: its partial mode, watchdog and dump length have no meaning here.
        return RunnerLauncher.launch(common, common.toSchedulerOptions(false, 0, 5000), true, null,
                SchedExtPreflight::checkObserve,
                (provider, options) -> SchedulerRunner.observing(provider, options, kind, Log::info));
    }
}
