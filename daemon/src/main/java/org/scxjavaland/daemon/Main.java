package org.scxjavaland.daemon;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.Map;

/** Entry point of {@code scx_javaland}. */
@Command(name = "scx_javaland",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "A sched_ext CPU scheduler whose policy runs in this Java process.",
                "",
                "BPF hands every task that wants a CPU to the daemon over a transport (ringbuf: memory-mapped "
                        + "BPF ring buffers; fifo: BPF queue maps), the policy decides order, CPU and time slice, and "
                        + "the decision goes back the same way. Needs root and a kernel with sched_ext "
                        + "(CONFIG_SCHED_CLASS_EXT)."},
        subcommands = {RunCommand.class, ObserveCommand.class, CheckCommand.class, TrainCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Start with 'scx_javaland check' to see what this machine supports; on a kernel without "
                + "sched_ext, 'scx_javaland observe' runs the policy on the live kernel without scheduling."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
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
