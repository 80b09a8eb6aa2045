package org.scxjavaland.daemon;

import org.scxjavaland.core.policy.PolicyProviders;
import org.scxjavaland.sys.LibC;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --policy} and {@code --policy-jar} (a picocli mixin), the same for every command that takes them: run and
 * observe run the policy, ab passes both to each round's daemon, check says whether run would accept them.
 */
final class PolicyChoice {
    /** What {@code --policy=NAME} asks for instead of a policy: the list. */
    static final String HELP = "help";

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = PolicyProviders.DEFAULT,
            description = "The scheduling policy: deadline (scx_rustland's deadline model: weighted vruntime, "
                    + "sleepers first, wake-up preemption) or fifo (scx_rlfifo's: arrival order, one fixed slice, "
                    + "--slice-us, no weights), or one of your own from a --policy-jar (docs/writing-a-policy.md); "
                    + "--policy=help lists them with what each does. Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--policy-jar", paramLabel = "FILE",
            description = "Load the policies a jar of your own names in its META-INF/services/"
                    + "org.scxjavaland.core.policy.PolicyProvider, for --policy to choose (repeatable). The jar runs "
                    + "in the scheduler as root: it is refused unless it and every directory above it belong to root "
                    + "(or to you) and only their owner can write to them.")
    List<Path> jars = List.of();

    /**
     * The jars as absolute paths: what another process (ab's daemons, a VM) is given. Not normalized: ".." after a
     * symbolic link is not the directory above it, and the path checked must be the path loaded.
     */
    List<Path> absoluteJars() {
        return jars.stream().map(Path::toAbsolutePath).toList();
    }

    boolean wantsHelp() {
        return HELP.equals(name);
    }

    /**
     * Adds the jars' policies to those this process can run, and checks that one is named {@code --policy}: a
     * refused jar or an unknown name is one line (IllegalArgumentException, a usage error).
     */
    void load() {
        PolicyProviders.addJars(absoluteJars(), LibC.geteuid());
        if (!wantsHelp()) PolicyProviders.find(name);
    }

    /**
     * {@code --policy=help}: loads the jars as {@link #load} does, prints the policies to {@code out} and returns
     * true; the command then ends with status 0 instead of running. False for any other name.
     */
    boolean printedHelp(PrintWriter out) {
        if (!wantsHelp()) return false;
        load();
        out.print(PolicyProviders.help());
        out.flush();
        return true;
    }
}
