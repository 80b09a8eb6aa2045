package org.scxjavaland.core.sched;

import org.scxjavaland.core.probe.PidNamespace;
import org.scxjavaland.core.probe.Privileges;
import org.scxjavaland.core.probe.SchedExtSysfs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks that {@code run} can attach here, so that the user gets one clear line instead of a libbpf error. Cheaper
 * than {@code check}'s SystemProbe (no map probes, no libbpf), with the same privilege rule ({@link Privileges}).
 * The checks, in order: sched_ext, BTF, privileges, the host's pid namespace, no other sched_ext scheduler attached.
 */
public final class SchedExtPreflight {
    static final Path SYS_KERNEL = Path.of("/sys/kernel");

    /** What stands in the way; the daemon gives each its own exit status. */
    public enum Kind {
        /** The kernel has no sched_ext. */
        NO_SCHED_EXT,
        /** The kernel exposes no BTF (/sys/kernel/btf/vmlinux), which struct_ops programs need. */
        NO_BTF,
        /** Neither root nor the capabilities attaching needs. */
        NOT_PERMITTED,
        /** This process is in a pid namespace of its own, so BPF could not recognise the daemon ({@link PidNamespace}). */
        FOREIGN_PID_NAMESPACE,
        /** Another sched_ext scheduler is attached (or on its way in or out). */
        OCCUPIED
    }

    /** A reason {@code run} cannot attach, as one line that says what to do instead. */
    public record Problem(Kind kind, String message) {
    }

    private SchedExtPreflight() {
    }

    /** Empty when attaching can work; otherwise the reason. */
    public static Optional<Problem> check() {
        return check(SYS_KERNEL, Privileges.ofThisProcess(), PidNamespace.problem());
    }

    /** Empty when {@code observe} can attach its tracepoint programs here (no sched_ext needed); otherwise why not. */
    public static Optional<Problem> checkObserve() {
        return checkObserve(SYS_KERNEL, Privileges.ofThisProcess());
    }

    static Optional<Problem> checkObserve(Path sysKernel, Privileges privileges) {
        Path btf = sysKernel.resolve("btf/vmlinux");
        if (!Files.exists(btf)) {
            return problem(Kind.NO_BTF, "this kernel exposes no BTF (" + btf + " is missing), which the observer's "
                    + "BPF programs need to read tasks: use a kernel built with CONFIG_DEBUG_INFO_BTF=y");
        }
        List<String> missing = privileges.missingForObserve();
        if (!missing.isEmpty()) {
            return problem(Kind.NOT_PERMITTED, "observing the scheduler tracepoints needs root or "
                    + String.join(", ", missing) + ": run it with sudo");
        }
        return Optional.empty();
    }

    /** {@link #check(Path, Privileges, Optional)} in the host's pid namespace. */
    static Optional<Problem> check(Path sysKernel, Privileges privileges) {
        return check(sysKernel, privileges, Optional.empty());
    }

    /**
     * {@link #check()} against the sysfs tree {@code sysKernel} (/sys/kernel, or a copy in tests), with what {@link
     * PidNamespace#problem()} said of the pid namespace.
     */
    static Optional<Problem> check(Path sysKernel, Privileges privileges, Optional<String> pidNamespace) {
        SchedExtSysfs schedExt = new SchedExtSysfs(sysKernel.resolve("sched_ext"));
        if (!schedExt.present()) {
            return problem(Kind.NO_SCHED_EXT, "this kernel (" + System.getProperty("os.version") + ") has no "
                    + "sched_ext (" + schedExt.dir() + " is missing): run on a kernel built with "
                    + "CONFIG_SCHED_CLASS_EXT=y (Linux 6.12+), or use 'make run', which boots one in a VM; here, "
                    + "'scx_javaland observe' runs the same policy on the live kernel without scheduling anything; "
                    + "'scx_javaland check' shows what this machine supports");
        }
        Path btf = sysKernel.resolve("btf/vmlinux");
        if (!Files.exists(btf)) {
            return problem(Kind.NO_BTF, "this kernel exposes no BTF (" + btf + " is missing), which the scheduler's "
                    + "BPF programs need: use a kernel built with CONFIG_DEBUG_INFO_BTF=y");
        }
        List<String> missing = privileges.missingForRun();
        if (!missing.isEmpty()) {
            return problem(Kind.NOT_PERMITTED, "attaching a sched_ext scheduler needs root or "
                    + String.join(", ", missing) + ": run it with sudo");
        }
        if (pidNamespace.isPresent()) return problem(Kind.FOREIGN_PID_NAMESPACE, pidNamespace.get());
        String state = schedExt.state(); // unreadable: let the attach itself say what is wrong
        if (state != null && !"disabled".equals(state)) {
            String ops = schedExt.ops();
            return problem(Kind.OCCUPIED, "another sched_ext scheduler"
                    + (ops == null ? "" : ", '" + ops + "',") + " is " + state
                    + " (" + schedExt.dir().resolve("state") + "): only one can be attached; stop it first");
        }
        return Optional.empty();
    }

    private static Optional<Problem> problem(Kind kind, String message) {
        return Optional.of(new Problem(kind, message));
    }
}
