package org.scxjavaland.core.probe;

import org.scxjavaland.bpf.Libbpf;
import org.scxjavaland.core.policy.PolicyProvider;
import org.scxjavaland.core.policy.PolicyProviders;
import org.scxjavaland.core.transport.Availability;
import org.scxjavaland.core.transport.TransportProvider;
import org.scxjavaland.core.transport.Transports;
import org.scxjavaland.core.wire.QueuedTaskLayout;
import org.scxjavaland.sys.LibC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Finds out what this machine offers the scheduler (kernel, sched_ext, BTF, map types, transports, privileges,
 * JDK, libbpf) and whether {@code run} can work here. Every probe is read-only or creates and closes a tiny map:
 * it is safe to run next to a live scheduler. Reads sysfs by absolute path, so it works in a chroot with /sys
 * mounted; without /proc only the privileges are unknown.
 */
public final class SystemProbe {
    private final Path sys;
    private final List<TransportProvider> providers;
    private final Supplier<SystemFacts.LibbpfInfo> libbpf;
    private final Supplier<Privileges> privileges;

    /** Probes the real machine, with the transports found on the class path. */
    public SystemProbe() {
        this(Path.of("/sys"), Transports.all(), SystemProbe::loadLibbpf, Privileges::ofThisProcess);
    }

    /** {@code sys} stands for /sys; the rest as given (tests). */
    SystemProbe(Path sys, List<TransportProvider> providers, Supplier<SystemFacts.LibbpfInfo> libbpf,
                Supplier<Privileges> privileges) {
        this.sys = sys;
        this.providers = providers;
        this.libbpf = libbpf;
        this.privileges = privileges;
    }

    public SystemFacts probe() {
        return probe(List.of(), null);
    }

    /**
     * As {@link #probe()}, and whether {@code run} and {@code observe} would accept {@code --policy-jar}
     * {@code policyJars} and {@code --policy} {@code policy} (null: not named): the same checks, the jars' policies
     * listed beside the built-in ones.
     */
    public SystemFacts probe(List<Path> policyJars, String policy) {
        SystemFacts.Policies policies = policies(policyJars, policy);
        SystemFacts.Kernel kernel = kernel();
        SystemFacts.SchedExt schedExt = schedExt();
        SystemFacts.Btf btf = btf();
        List<SystemFacts.Support> mapTypes = List.of(
                support("RINGBUF", MapTypeProbe.ringbuf()),
                support("USER_RINGBUF", MapTypeProbe.userRingbuf()),
                support("QUEUE", MapTypeProbe.queue((int) QueuedTaskLayout.SIZE)));
        List<SystemFacts.Support> transports = new ArrayList<>();
        for (TransportProvider p : providers) transports.add(support(p.name(), Transports.availabilityOf(p)));
        SystemFacts.AutoChoice auto = auto();
        Privileges priv = privileges.get();
        SystemFacts.LibbpfInfo lib = libbpf.get();
        SystemFacts.Jdk jdk = new SystemFacts.Jdk(Runtime.version().toString(), System.getProperty("java.vm.vendor"),
                System.getProperty("java.home"));

        List<String> problems = new ArrayList<>();
        if (!schedExt.present()) {
            problems.add("no sched_ext: " + sys.resolve("kernel/sched_ext") + " is missing (kernel " + kernel.release()
                    + " was built without CONFIG_SCHED_CLASS_EXT, or sysfs is not mounted)");
        } else if (schedExt.state() != null && !"disabled".equals(schedExt.state())) {
            problems.add("sched_ext is " + schedExt.state() + (schedExt.ops() == null ? "" : " with scheduler '"
                    + schedExt.ops() + "'") + ": only one sched_ext scheduler can run, stop it first");
        }
        if (!btf.present()) {
            problems.add("no kernel BTF: " + sys.resolve("kernel/btf/vmlinux") + " is missing (needs CONFIG_DEBUG_INFO_BTF)");
        }
        List<String> missing = priv.missingForRun();
        if (!missing.isEmpty()) {
            problems.add("not privileged enough: missing " + String.join(", ", missing) + " (run as root)");
        }
        PidNamespace.problem().ifPresent(problems::add);
        if (auto.name() == null) problems.add(auto.reason());
        if (!lib.loaded()) problems.add("libbpf unusable: " + lib.error());
        List<String> observeProblems = new ArrayList<>(observeProblems(btf, priv, auto, lib));
        if (policies.problem() != null) {
            problems.add(policies.problem());
            observeProblems.add(policies.problem());
        }
        return new SystemFacts(kernel, schedExt, btf, mapTypes, List.copyOf(transports), auto, priv, jdk, lib,
                policies, List.copyOf(problems), List.copyOf(observeProblems));
    }

    /** Nothing global changes: check is asked about the jars, it does not run their policies. */
    private static SystemFacts.Policies policies(List<Path> jars, String chosen) {
        String problem = null;
        List<PolicyProvider> all = List.of();
        try {
            all = jars.isEmpty() ? PolicyProviders.all() : PolicyProviders.allWith(jars, LibC.geteuid());
            if (chosen != null) PolicyProviders.find(chosen, all);
        } catch (IllegalArgumentException e) {
            problem = (jars.isEmpty() ? "--policy: " : "--policy-jar/--policy: ") + e.getMessage();
            if (all.isEmpty()) {
                try {
                    all = PolicyProviders.all();
                } catch (IllegalArgumentException ignored) {
                    // the class path's own providers cannot fail to load; nothing to list if they did
                }
            }
        }
        List<SystemFacts.Policy> list = new ArrayList<>();
        for (PolicyProvider p : all) {
            Path jar = PolicyProviders.fromPolicyJar(p) ? PolicyProviders.origin(p) : null;
            list.add(new SystemFacts.Policy(p.name(), p.description(), jar == null ? null : jar.toString()));
        }
        return new SystemFacts.Policies(List.copyOf(list), chosen, problem);
    }

    /** What {@code observe} needs: what {@code run} needs, but no sched_ext and only CAP_BPF and CAP_PERFMON. */
    private List<String> observeProblems(SystemFacts.Btf btf, Privileges priv, SystemFacts.AutoChoice auto,
                                         SystemFacts.LibbpfInfo lib) {
        List<String> problems = new ArrayList<>();
        if (!btf.present()) {
            problems.add("no kernel BTF: " + sys.resolve("kernel/btf/vmlinux") + " is missing (needs CONFIG_DEBUG_INFO_BTF)");
        }
        List<String> missing = priv.missingForObserve();
        if (!missing.isEmpty()) {
            problems.add("not privileged enough: missing " + String.join(", ", missing) + " (run as root)");
        }
        if (auto.name() == null) problems.add(auto.reason());
        if (!lib.loaded()) problems.add("libbpf unusable: " + lib.error());
        return List.copyOf(problems);
    }

    private SystemFacts.Kernel kernel() {
        try {
            LibC.Uname u = LibC.uname();
            return new SystemFacts.Kernel(u.release(), u.version(), u.machine());
        } catch (RuntimeException | LinkageError e) {
            // the JVM read uname(2) at start-up too
            return new SystemFacts.Kernel(System.getProperty("os.version"), "unknown", System.getProperty("os.arch"));
        }
    }

    private SystemFacts.SchedExt schedExt() {
        SchedExtSysfs s = new SchedExtSysfs(sys.resolve("kernel/sched_ext"));
        if (!s.present()) return new SystemFacts.SchedExt(false, null, null, null);
        return new SystemFacts.SchedExt(true, s.state(), s.ops(), s.switchAll());
    }

    private SystemFacts.Btf btf() {
        Path vmlinux = sys.resolve("kernel/btf/vmlinux");
        try {
            return new SystemFacts.Btf(true, Files.size(vmlinux));
        } catch (IOException e) {
            return new SystemFacts.Btf(false, 0);
        }
    }

    private SystemFacts.AutoChoice auto() {
        if (providers.isEmpty()) {
            return new SystemFacts.AutoChoice(null, "no transport on the class path (transport-ringbuf, transport-fifo)");
        }
        try {
            Transports.Choice c = Transports.choose(Transports.AUTO, providers);
            return new SystemFacts.AutoChoice(c.provider().name(), c.reason());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return new SystemFacts.AutoChoice(null, e.getMessage());
        }
    }

    private static SystemFacts.Support support(String name, Availability a) {
        return new SystemFacts.Support(name, a.available(), a.available() ? null : Transports.oneLine(a.cause()));
    }

    static SystemFacts.LibbpfInfo loadLibbpf() {
        try {
            Libbpf l = Libbpf.get();
            return new SystemFacts.LibbpfInfo(true, l.version(), l.path(), l.source(), null);
        } catch (RuntimeException | LinkageError e) {
            return new SystemFacts.LibbpfInfo(false, null, null, null, Transports.oneLine(e.getMessage()));
        }
    }
}
