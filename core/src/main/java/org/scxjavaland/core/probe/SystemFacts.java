package org.scxjavaland.core.probe;

import java.util.List;

/**
 * What {@link SystemProbe} found out about this machine, and whether {@code scx_javaland run} can work here.
 * Plain data, so that {@code check} can render it as text or JSON and {@code run} can refuse early with the
 * same reasons.
 *
 * @param problems        why {@code run} cannot work here, one line each; empty when it can
 * @param observeProblems why {@code observe} (no sched_ext needed) cannot work here; empty when it can
 */
public record SystemFacts(
        Kernel kernel,
        SchedExt schedExt,
        Btf btf,
        List<Support> mapTypes,
        List<Support> transports,
        AutoChoice auto,
        Privileges privileges,
        Jdk jdk,
        LibbpfInfo libbpf,
        Policies policies,
        List<String> problems,
        List<String> observeProblems) {

    public boolean runnable() {
        return problems.isEmpty();
    }

    public boolean observable() {
        return observeProblems.isEmpty();
    }

    /**
     * The policies {@code --policy} can choose from (built-in, then those of {@code --policy-jar}), the one asked for
     * (null: none named), and why the jars or the name would be refused (null: they would not).
     */
    public record Policies(List<Policy> available, String chosen, String problem) {
    }

    /** One policy: its name, its line of help, and the jar it comes from (null: it ships with the daemon). */
    public record Policy(String name, String description, String jar) {
    }

    /** uname: release ("6.18.44"), version ("#1 SMP PREEMPT_DYNAMIC ..."), machine ("x86_64"). */
    public record Kernel(String release, String version, String machine) {
    }

    /**
     * /sys/kernel/sched_ext.
     *
     * @param state "enabled", "disabled", ... (null when not present)
     * @param ops   the name of the scheduler attached now (null when none)
     */
    public record SchedExt(boolean present, String state, String ops, String switchAll) {
    }

    /** /sys/kernel/btf/vmlinux, which CO-RE relocation of the BPF object needs. */
    public record Btf(boolean present, long bytes) {
    }

    /** A map type or a transport: whether it works here, and if not why (one line). */
    public record Support(String name, boolean available, String cause) {
    }

    /** What {@code --transport=auto} picks here (name null when nothing is available) and why. */
    public record AutoChoice(String name, String reason) {
    }

    public record Jdk(String version, String vendor, String home) {
    }

    /** The libbpf the daemon would use: version and path when it loads, else the error. */
    public record LibbpfInfo(boolean loaded, String version, String path, String source, String error) {
    }
}
