package org.scxjavaland.daemon;

import org.scxjavaland.daemon.stats.StatsMonitor;
import org.scxjavaland.daemon.stats.StatsSocketServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Entry point of {@code scx_javaland}. As with every sched_ext scheduler, a bare {@code scx_javaland [run options]}
 * runs the scheduler (scx.service and scx_loader start schedulers that way); the other commands are named.
 */
@Command(name = "scx_javaland",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "A sched_ext CPU scheduler whose policy runs in this Java process.",
                "",
                "BPF hands every task that wants a CPU to the daemon over a transport (ringbuf: memory-mapped "
                        + "BPF ring buffers; fifo: BPF queue maps), the policy decides order, CPU and time slice, and "
                        + "the decision goes back the same way. Needs root and a kernel with sched_ext "
                        + "(CONFIG_SCHED_CLASS_EXT).",
                "",
                "Without a command, 'scx_javaland [OPTIONS]' is 'scx_javaland run [OPTIONS]'."},
        subcommands = {RunCommand.class, ObserveCommand.class, CheckCommand.class, AbCommand.class, TrainCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Start with 'scx_javaland check' to see what this machine supports; on a kernel without "
                + "sched_ext, 'scx_javaland observe' runs the policy on the live kernel without scheduling."})
public final class Main implements Callable<Integer> {
    /** Options only this top level has: with one of them, the arguments are not run options. */
    private static final Set<String> TOP_LEVEL_ONLY = Set.of("--monitor", "--help-stats");
    private static final Set<String> TOP_LEVEL_FIRST = Set.of("-h", "--help", "-V", "--version");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--monitor", paramLabel = "SECS",
            description = "Do not schedule: read the statistics of the scheduler running on this machine from its "
                    + "scx_stats socket every SECS seconds and print them, one line each (as scx_rustland's "
                    + "--monitor). Waits for the socket while no scheduler serves it.")
    Double monitorSecs;

    @Option(names = "--help-stats", description = "Describe every statistic the scx_stats socket serves, and exit.")
    boolean helpStats;

    @Option(names = "--stats-socket", paramLabel = "PATH",
            description = "The scx_stats socket --monitor reads. Default: /var/run/scx/root/stats.")
    Path statsSocket = StatsSocketServer.DEFAULT_PATH;

    @Override
    public Integer call() throws InterruptedException {
        if (helpStats) {
            System.out.print(StatsMonitor.describe());
            return 0;
        }
        if (monitorSecs != null) {
            if (!(monitorSecs > 0) || monitorSecs > 86_400) {
                throw new IllegalArgumentException("--monitor needs a period of seconds above 0 (got " + monitorSecs + ")");
            }
            new StatsMonitor(statsSocket, monitorSecs, System.out, System.err).run(-1);
            return 0;
        }
        spec.commandLine().usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line as the launcher does, bare arguments included. */
    public static int execute(String... args) {
        return commandLine().execute(withCommand(args));
    }

    /**
     * The arguments with the command made explicit: none, or run options without a command, mean {@code run};
     * a command, help, version, --monitor and --help-stats stay as given.
     */
    static String[] withCommand(String[] args) {
        if (args.length > 0) {
            if (commandNames().contains(args[0]) || TOP_LEVEL_FIRST.contains(args[0])) return args;
            for (String a : args) {
                if (TOP_LEVEL_ONLY.contains(a.contains("=") ? a.substring(0, a.indexOf('=')) : a)) return args;
            }
        }
        String[] out = new String[args.length + 1];
        out[0] = "run";
        System.arraycopy(args, 0, out, 1, args.length);
        return out;
    }

    private static List<String> commandNames() {
        return List.of("run", "observe", "check", "ab", "train", "help");
    }

    /** The configured command line; tests run commands through it. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new OneLineErrors());
        cl.setParameterExceptionHandler(new OneLineErrors());
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode c : ExitCode.values()) codes.put(Integer.toString(c.code), c.meaning);
        cl.getSubcommands().get("run").getCommandSpec().usageMessage().exitCodeList(codes);
        cl.getSubcommands().get("observe").getCommandSpec().usageMessage().exitCodeList(codes);
        return cl;
    }
}
