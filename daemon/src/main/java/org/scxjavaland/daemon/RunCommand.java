package org.scxjavaland.daemon;

import org.scxjavaland.core.sched.SchedExtPreflight;
import org.scxjavaland.core.sched.SchedulerRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code scx_javaland run}: attach the scheduler and schedule until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
                "Attach the scheduler and schedule every task (or, with -p, only SCHED_EXT tasks) until "
                        + "SIGINT/SIGTERM/SIGHUP, --duration, or the kernel ends it. Needs root and a kernel with "
                        + "sched_ext (elsewhere, 'scx_javaland observe' runs the same policy without scheduling)."},
        exitCodeListHeading = "%nExit status:%n",
        sortOptions = false)
public final class RunCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--partial"},
            description = "Schedule only tasks that chose SCHED_EXT; everything else stays with the kernel's scheduler.")
    boolean partial;

    @Option(names = "--exit-dump-len", paramLabel = "BYTES", defaultValue = "0",
            description = "Size of the kernel's debug dump when the scheduler is ejected (0: the kernel's default, "
                    + "32 KiB); the daemon prints at most its first 32 KiB.")
    int exitDumpLen;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "5000",
            description = "The kernel ejects the scheduler when a runnable task waits longer than this "
                    + "(sched_ext watchdog, at most 30000). Default: ${DEFAULT-VALUE}.")
    int timeoutMs;

    @Option(names = "--stats-socket", paramLabel = "PATH", defaultValue = "/var/run/scx/root/stats",
            description = "Serve the scx_stats protocol (what 'scx_javaland --monitor' and scxtop read) on this unix "
                    + "socket; 'none': do not. Default: ${DEFAULT-VALUE}.")
    String statsSocket;

    /**
     * Checks in the order a user can act on them, each failure one line with its own status ({@link ExitCode}):
     * the command line, the metrics port (the server starts first and answers before anything attaches), libbpf,
     * then the machine (sched_ext, BTF, privileges, another scheduler, the transport); then the scx_stats socket.
     */
    @Override
    public Integer call() {
        if (common.policy.printedHelp(spec.commandLine().getOut())) return 0;
        common.validate();
        if (timeoutMs < 100 || timeoutMs > 30_000) {
            throw new IllegalArgumentException("--timeout-ms must be between 100 and 30000 (got " + timeoutMs + ")");
        }
        if (exitDumpLen < 0) throw new IllegalArgumentException("--exit-dump-len cannot be negative");
        Path statsPath = statsSocket.equals("none") ? null : Path.of(statsSocket);
        if (statsPath != null && (statsSocket.isBlank() || Files.isDirectory(statsPath))) {
            throw new IllegalArgumentException("--stats-socket '" + statsSocket + "': a socket path, or 'none'");
        }
        return RunnerLauncher.launch(common, common.toSchedulerOptions(partial, exitDumpLen, timeoutMs), false,
                statsPath,
                SchedExtPreflight::check,
                (provider, options) -> new SchedulerRunner(provider, options, Log::info));
    }
}
