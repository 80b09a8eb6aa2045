package org.scxjavaland.daemon;

import org.scxjavaland.core.policy.PolicyProviders;
import org.scxjavaland.core.probe.Privileges;
import org.scxjavaland.core.probe.SystemFacts;
import org.scxjavaland.core.probe.SystemFactsJson;
import org.scxjavaland.core.probe.SystemProbe;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code scx_javaland check}: what this machine offers the scheduler, and whether {@code run} can work here. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
                "Report the kernel, sched_ext, BTF, the BPF map types and transports this kernel supports,",
                "privileges, JDK and libbpf, and which transport --transport=auto would pick. Changes nothing",
                "(it creates and closes a few tiny BPF maps).",
                "",
                "Also says whether 'scx_javaland observe' can work here (no sched_ext needed), and lists the",
                "policies --policy can choose; with --policy-jar and --policy, whether run would accept them",
                "(the same checks: a jar refused or a name unknown is one of the reasons it cannot work).",
                "",
                "Exit status: 0 when 'scx_javaland run' can work here; 1 otherwise, with the reasons."})
public final class CheckCommand implements Callable<Integer> {
    static final int EXIT_NOT_RUNNABLE = 1;
    private static final int LABEL_WIDTH = 14;

    @Option(names = "--json", description = "One JSON object on standard output, for scripts.")
    boolean json;

    /** Checked as run checks them; the jars' policies listed beside the built-in ones. */
    @Mixin
    PolicyChoice policy;

    @Option(names = "--verbose", description = "Show stack traces of unexpected errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SystemFacts f = new SystemProbe().probe(policy.absoluteJars(), policy.wantsHelp() ? null : policy.name);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(SystemFactsJson.of(f));
        } else {
            render(f, out);
        }
        out.flush();
        return f.runnable() ? 0 : EXIT_NOT_RUNNABLE;
    }

    static void render(SystemFacts f, PrintWriter out) {
        line(out, "kernel", f.kernel().release() + " (" + f.kernel().machine() + ") " + f.kernel().version());
        SystemFacts.SchedExt s = f.schedExt();
        line(out, "sched_ext", !s.present() ? "no (/sys/kernel/sched_ext is missing)"
                : "yes, state " + s.state() + (s.ops() == null ? "" : ", scheduler '" + s.ops() + "'")
                  + (s.switchAll() == null ? "" : ", switch_all " + s.switchAll()));
        line(out, "BTF", f.btf().present()
                ? "yes (/sys/kernel/btf/vmlinux, " + String.format(Locale.ROOT, "%.1f MiB", f.btf().bytes() / 1048576.0) + ")"
                : "no (/sys/kernel/btf/vmlinux is missing)");
        for (SystemFacts.Support m : f.mapTypes()) line(out, m.name(), yesNo(m));
        for (SystemFacts.Support t : f.transports()) line(out, "transport", t.name() + ": " + yesNo(t));
        line(out, "auto picks", f.auto().name() == null ? "nothing (" + f.auto().reason() + ")"
                : f.auto().name() + " (" + f.auto().reason() + ")");
        line(out, "privileges", privileges(f.privileges()));
        line(out, "JDK", f.jdk().version() + " (" + f.jdk().vendor() + ", " + f.jdk().home() + ")");
        SystemFacts.LibbpfInfo l = f.libbpf();
        line(out, "libbpf", l.loaded() ? l.version() + " (" + l.source() + ", " + l.path() + ")" : "unusable: " + l.error());
        line(out, "policies", policies(f.policies()));
        line(out, "observe", f.observable() ? "can work here (no sched_ext needed)"
                : "cannot work here: " + String.join("; ", f.observeProblems()));
        out.println();
        if (f.runnable()) {
            out.println("verdict: scx_javaland run can work here (transport " + f.auto().name() + ")");
        } else {
            out.println("verdict: scx_javaland run cannot work here:");
            for (String p : f.problems()) out.println("  - " + p);
            if (f.observable()) {
                out.println("  scx_javaland observe can: the same transport and policy, fed by the scheduler "
                        + "tracepoints, without scheduling anything (transport " + f.auto().name() + ")");
            }
        }
    }

    /** The names, the default marked and a jar's policy with its jar: the descriptions are in --policy=help. */
    private static String policies(SystemFacts.Policies p) {
        StringBuilder sb = new StringBuilder();
        for (SystemFacts.Policy x : p.available()) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(x.name());
            if (x.name().equals(PolicyProviders.DEFAULT)) sb.append(" (default)");
            if (x.jar() != null) sb.append(" (from ").append(x.jar()).append(')');
        }
        if (p.chosen() != null && !p.chosen().equals(PolicyProviders.DEFAULT) && p.problem() == null) {
            sb.append("; --policy ").append(p.chosen()).append(": found");
        }
        return sb.toString();
    }

    private static String yesNo(SystemFacts.Support s) {
        return s.available() ? "yes" : "no: " + s.cause();
    }

    private static String privileges(Privileges p) {
        if (!p.known()) return "unknown: " + p.source();
        String who = p.euid() == 0 ? "root" : "euid " + p.euid();
        return who + "; CAP_SYS_ADMIN " + yn(p.has(Privileges.CAP_SYS_ADMIN)) + ", CAP_BPF " + yn(p.has(Privileges.CAP_BPF))
                + ", CAP_PERFMON " + yn(p.has(Privileges.CAP_PERFMON));
    }

    private static String yn(boolean b) {
        return b ? "yes" : "no";
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("%-" + LABEL_WIDTH + "s%s%n", label, value);
    }
}
